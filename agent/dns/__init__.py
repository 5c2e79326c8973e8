"""The DNS web filter: category lists, keyword heuristics, browser policies, the resolver."""
