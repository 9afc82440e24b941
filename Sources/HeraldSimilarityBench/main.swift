// Placeholder until the benchmark lands; see bench/neardup.
print("HeraldSimilarityBench: benchmark not implemented yet")
