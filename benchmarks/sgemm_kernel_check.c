// Cross-architecture check of the C micro-kernels and packing, without Swift: packs and
// multiplies like GemmDriver (one thread) and compares with a double-precision product, for
// every kernel the CPU runs, all transposes, accumulation, strides wider than the matrices,
// packed and in-place B. Run by sgemm_kernel_check.sh natively and, for arm64 (NEON), under
// qemu-aarch64-static.
#include "CDescentKernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
// Minimal single-thread driver mirroring GemmDriver.computeColumns (packed B), any transposes.
static float rnd(unsigned *s){ *s = *s * 1103515245u + 12345u; return ((*s >> 8) & 0xffff) / 32768.0f - 1.0f; }
static int check(descent_sgemm_kernel K, int m, int n, int k, int ta, int tb, int acc, int direct) {
    unsigned seed = 7;
    int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
    int arows = ta ? k : m, brows = tb ? n : k;
    float *a = malloc(sizeof(float) * arows * lda), *b = malloc(sizeof(float) * brows * ldb), *c = malloc(sizeof(float) * m * ldc);
    double *ref = malloc(sizeof(double) * m * ldc);
    for (int i = 0; i < arows * lda; i++) a[i] = rnd(&seed);
    for (int i = 0; i < brows * ldb; i++) b[i] = rnd(&seed);
    for (int i = 0; i < m * ldc; i++) c[i] = rnd(&seed);
    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
        double s = acc ? c[i * ldc + j] : 0;
        for (int p = 0; p < k; p++) s += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
        ref[i * ldc + j] = s;
    }
    int mr = K.mr, nr = K.nr, kcb = K.kc;
    float *ap = aligned_alloc(64, sizeof(float) * ((m + mr) * kcb + 64)), *bp = aligned_alloc(64, sizeof(float) * ((n + nr) * kcb + 64));
    for (int pc = 0; pc < k; pc += kcb) {
        int kc = k - pc < kcb ? k - pc : kcb;
        if (tb) descent_sgemm_pack_interleave(b + pc, ldb, n, kc, nr, bp);
        else descent_sgemm_pack_strips(b + pc * ldb, ldb, n, kc, nr, bp);
        if (ta) descent_sgemm_pack_strips(a + pc * lda, lda, m, kc, mr, ap);
        else descent_sgemm_pack_interleave(a + pc * 1, lda, m, kc, mr, ap);
        for (int jr = 0; jr * nr < n; jr++) for (int ir = 0; ir * mr < m; ir++) {
            int cols = n - jr * nr < nr ? n - jr * nr : nr, rows = m - ir * mr < mr ? m - ir * mr : mr;
            int useDirect = direct && !tb && cols == nr;
            const float *bpanel = useDirect ? b + pc * ldb + jr * nr : bp + jr * nr * kc;
            K.function(kc, ap + ir * mr * kc, bpanel, useDirect ? ldb : nr, c + ir * mr * ldc + jr * nr, ldc, rows, cols, acc || pc > 0);
        }
    }
    double worst = 0;
    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) { double d = fabs(c[i * ldc + j] - ref[i * ldc + j]); if (d > worst) worst = d; }
    int ok = worst <= 1e-5 * k + 1e-5;
    if (!ok) printf("FAIL %s m=%d n=%d k=%d ta=%d tb=%d acc=%d direct=%d worst=%g\n", K.name, m, n, k, ta, tb, acc, direct, worst);
    free(a); free(b); free(c); free(ref); free(ap); free(bp);
    return ok;
}
int main(void) {
    int shapes[][3] = {{1,1,1},{2,3,4},{5,7,3},{8,12,9},{9,13,17},{32,10,64},{37,41,29},{50,7,300},{7,50,513},{130,70,260}};
    int kinds[] = {DESCENT_SGEMM_NEON, DESCENT_SGEMM_PORTABLE, DESCENT_SGEMM_AVX2, DESCENT_SGEMM_AVX2_WIDE};
    int total = 0, passed = 0;
    for (int q = 0; q < 4; q++) {
        if (!descent_sgemm_kernel_supported(kinds[q])) continue;
        descent_sgemm_kernel K = descent_sgemm_kernel_for(kinds[q]);
        printf("kernel %s (%dx%d)\n", K.name, K.mr, K.nr);
        for (unsigned s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
            for (int ta = 0; ta < 2; ta++) for (int tb = 0; tb < 2; tb++) for (int acc = 0; acc < 2; acc++) for (int d = 0; d < 2; d++) {
                total++; passed += check(K, shapes[s][0], shapes[s][1], shapes[s][2], ta, tb, acc, d);
            }
    }
    printf("%d/%d passed\n", passed, total);
    return passed == total ? 0 : 1;
}
