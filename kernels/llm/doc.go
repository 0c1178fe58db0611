// Package llm runs Llama-architecture language models for ppbench's LLM
// inference benchmarks: tokens per second of prefill (a block of prompt
// tokens through every matrix at once, bound by compute) and decode (one
// token at a time against a key/value cache, batch 1, bound by the bytes
// of the weights).
//
// A model is its Shape (the numbers of a published config.json, in a
// table: LookupShape("llama-3.2-1b")) and a weight format, FormatQ8
// (Q8_0 blocks, kernels.Q8Tier.Q8MatMul) or FormatBF16 (kernels.GemmBF16). The
// weights are generated from a seed, quickly and in parallel, at a
// trained model's scale: no weights file, no tokenizer, since speed does
// not depend on their values. Tokens are integers below the vocabulary
// size.
//
// The matrix products, nearly all of the time, go through functions the
// options set (WithQ8MatMul, WithBF16Gemm, WithBF16MatVec), so that SIMD
// tiers of the kernels package plug in without changing the forward
// pass; the rest (norms, rotary embedding, attention over the cache,
// SiLU) is plain Go here.
//
// Shape also gives the counts a roofline needs: OpsPerToken (2 × the
// weights a token is multiplied by) and DecodeBytesPerToken (those
// weights in the format, plus the cache read).
//
// Arguments that do not fit make New return an error and Prefill and
// Decode panic, with messages that start with "llm:".
package llm
