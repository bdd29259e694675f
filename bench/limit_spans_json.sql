-- The limit's span reader for a landing of OTLP/JSON lines (the anonymizer's default format):
-- only the fields the limit uses, typed as the source declaration types them.
create or replace macro landed_spans() as table
select filename, resourceSpans
from read_json(
    getvariable('landing') || '/*/otel_genai_spans/*/*.jsonl',
    format = 'newline_delimited', filename = true,
    columns = {
        'resourceSpans': 'struct("resource" struct("attributes" struct("key" varchar,
            "value" struct(stringValue varchar, intValue varchar))[]),
            "scopeSpans" struct("spans" struct("attributes" struct("key" varchar,
            "value" struct(stringValue varchar, intValue varchar))[],
            "spanId" varchar, "traceId" varchar, "startTimeUnixNano" varchar)[])[])[]'
    }
)
