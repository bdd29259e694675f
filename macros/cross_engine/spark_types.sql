{#-
    The project declares column types in DuckDB's syntax (source YAML, contracts):
    struct(a varchar, "b" bigint)[], decimal(38, 12). spark_type translates one into Spark
    DDL: struct<`a`: string, `b`: bigint>, array<...>, decimal(38, 12). Spark has no
    varchar without a length; its string is the same unbounded text.
-#}
{% macro spark_type(duckdb_type) -%}
    {%- set simple_types = {'varchar': 'string', 'text': 'string', 'integer': 'int'} -%}
    {%- set tokens = modules.re.findall(
        '"[^"]*"|\\[\\]|[A-Za-z_][A-Za-z_0-9]*|[0-9]+|[(),]', duckdb_type
    ) -%}
    {%- set out = [] -%}
    {#- open struct( and decimal( types, and where in `out` each began -#}
    {%- set open_types = [] -%}
    {%- set open_starts = [] -%}
    {%- set state = {'expect_field': false, 'last_start': 0} -%}
    {%- for token in tokens -%}
        {%- set word = token | lower -%}
        {%- if state.expect_field -%}
            {%- do out.append('`' ~ token.strip('"') ~ '`: ') -%}
            {%- do state.update({'expect_field': false}) -%}
        {%- elif word in ('struct', 'decimal', 'numeric') -%}
            {%- do open_starts.append(out | length) -%}
            {%- do open_types.append(word) -%}
            {%- do out.append('struct<' if word == 'struct' else 'decimal') -%}
        {%- elif token == '(' -%}
            {%- if open_types[-1] == 'struct' -%}
                {%- do state.update({'expect_field': true}) -%}
            {%- else -%}
                {%- do out.append('(') -%}
            {%- endif -%}
        {%- elif token == ',' -%}
            {%- do out.append(', ') -%}
            {%- do state.update({'expect_field': open_types[-1] == 'struct'}) -%}
        {%- elif token == ')' -%}
            {%- do out.append('>' if open_types.pop() == 'struct' else ')') -%}
            {%- do state.update({'last_start': open_starts.pop()}) -%}
        {%- elif token == '[]' -%}
            {#- a list of the type that just ended -#}
            {%- do out.insert(state.last_start, 'array<') -%}
            {%- do out.append('>') -%}
        {%- elif open_types and open_types[-1] != 'struct' -%}
            {%- do out.append(token) -%}
        {%- else -%}
            {%- do state.update({'last_start': out | length}) -%}
            {%- do out.append(simple_types.get(word, word)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(out | join('')) }}
{%- endmacro %}

{#-
    dbt's cast (contracts check their declared types by casting NULL to each) with the
    declared DuckDB type translated, so that the same contracts hold on Spark.
-#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ tpsp.spark_type(type) }})
{%- endmacro %}
