package kernels

// Impl returns the name of the kernel tier in use: "portable" (pure Go),
// "avx2" (AVX2 and FMA3), "avx512", "neon" or "sve".
func Impl() string { return impl.name }
