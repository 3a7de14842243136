/// Element operations written as PyTorch's CPU kernels compute them, so float32 results agree.
enum TorchArithmetic {
    /// `torch.lerp(start, end, weight)`: start + w·(end − start) for |w| < 0.5, else end − (end − start)·(1 − w).
    @inline(__always)
    static func lerp(_ start: Float, _ end: Float, _ weight: Float) -> Float {
        let difference = end - start
        return abs(weight) < 0.5 ? start + weight * difference : end - difference * (1 - weight)
    }
}
