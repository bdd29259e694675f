-- The limit's span reader for a landing written with `tpsp anonymize --format parquet`.
create or replace macro landed_spans() as table
select filename, resourceSpans
from read_parquet(getvariable('landing') || '/*/otel_genai_spans/*/*.parquet', filename = true)
