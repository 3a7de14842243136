import CDescentKernels

/// One of the register-blocked single-precision micro-kernels of `CDescentKernels`,
/// with its tile shape and cache blocks.
///
/// The kernels are C functions compiled with `__attribute__((target(...)))`, so a
/// plain `swift build -c release` contains all of them; `best` is chosen once, at
/// first use, from the level `descent_isa_level()` detects (CDescentDispatch):
///
/// | kernel | tile (rows × columns of C) | where |
/// | --- | --- | --- |
/// | `avx512f 12x32` | 12 × 32 (24 zmm accumulators) | x86-64-v4 (AVX-512 F/BW/CD/DQ/VL) |
/// | `avx2-fma 6x16` | 6 × 16 (12 ymm accumulators) | x86-64-v3 (AVX2, FMA) |
/// | `neon 8x12` | 8 × 12 (24 q accumulators) | arm64 |
/// | `portable 4x8` | 4 × 8 | everywhere (SSE2 / generic vectors) |
///
/// plus `avx2-fma 12x32 (avx512 shape)`: the AVX-512 kernel's source compiled for
/// AVX2, so that machines without AVX-512 can still test its geometry.
///
/// ```swift
/// MatrixMultiplyKernel.best.name        // "avx2-fma 6x16" on an AMD EPYC (Zen 3)
/// MatrixMultiplyKernel.available.count  // 4 on that machine
/// ```
public struct MatrixMultiplyKernel: @unchecked Sendable, Equatable, CustomStringConvertible {
    // @unchecked: the C struct holds a static string and a function pointer, both immutable.
    let raw: descent_sgemm_kernel
    let function: descent_sgemm_microkernel

    /// The kernel's name, e.g. `"avx2-fma 6x16"`.
    public var name: String { String(cString: raw.name) }
    /// Rows of C one kernel call computes (MR).
    public var tileRows: Int { Int(raw.mr) }
    /// Columns of C one kernel call computes (NR).
    public var tileColumns: Int { Int(raw.nr) }
    /// Rows of A packed per L2-resident block (MC).
    public var rowBlock: Int { Int(raw.mc) }
    /// Depth of one packed block (KC).
    public var depthBlock: Int { Int(raw.kc) }
    /// Columns of B packed per L3-resident block (NC).
    public var columnBlock: Int { Int(raw.nc) }
    public var description: String { name }

    init(kind: Int32) {
        raw = descent_sgemm_kernel_for(kind)
        guard let function = raw.function else { preconditionFailure("CDescentKernels returned no sgemm kernel") }
        self.function = function
    }

    public static func == (lhs: MatrixMultiplyKernel, rhs: MatrixMultiplyKernel) -> Bool {
        lhs.raw.kind == rhs.raw.kind
    }

    /// The fastest kernel this processor runs; `MatrixMultiply.gemm` uses it.
    public static let best = MatrixMultiplyKernel(kind: Int32(DESCENT_SGEMM_AUTO))

    /// Every kernel this processor can run, the best first.
    public static let available: [MatrixMultiplyKernel] = {
        let kinds = [DESCENT_SGEMM_AVX512, DESCENT_SGEMM_AVX2, DESCENT_SGEMM_AVX2_WIDE,
                     DESCENT_SGEMM_NEON, DESCENT_SGEMM_PORTABLE]
        var kernels = [best]
        for kind in kinds where descent_sgemm_kernel_supported(Int32(kind)) != 0 {
            let kernel = MatrixMultiplyKernel(kind: Int32(kind))
            if !kernels.contains(kernel) { kernels.append(kernel) }
        }
        return kernels
    }()
}
