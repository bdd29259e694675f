"""The landing zone: one asset per source kind, partitioned by firm, gated by Great
Expectations; a sensor that notices new or replaced day folders."""
