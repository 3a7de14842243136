import CDescentOptimKernels

/// Which instruction set the fused optimizer kernels use on this machine.
///
/// ```swift
/// print(OptimizerKernels.instructionSetDescription)   // "AVX2+FMA" on most x86-64 machines
/// ```
public enum OptimizerKernels {
    /// "AVX-512", "AVX2+FMA" or "portable".
    public static var instructionSetDescription: String {
        switch descent_optim_kernels_level() {
        case 2: return "AVX-512"
        case 1: return "AVX2+FMA"
        default: return "portable"
        }
    }
}
