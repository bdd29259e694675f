"""Dagster definitions for tpsp: landing gates, the dbt warehouse, publishing and retention.

``orchestration.definitions`` loads everything; each concern lives in ``orchestration/defs/``.
"""
