"""Design §7 rule 7: raw landing files older than ``raw_retention_days`` are deleted only after
the gates and the build that consumed them succeeded; every deletion is audited."""
