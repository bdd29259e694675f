{#-
    The token types a vendor bills at their own rate, as (token type, tokens expression over
    the canonical token columns, rate column of the model_prices seed). cache_write_tokens
    holds both cache lifetimes; cache_write_1h_tokens is its one-hour part.
-#}
{% macro priced_token_types() %}
    {{ return([
        {'token_type': 'input', 'tokens': 'input_tokens', 'rate': 'input_per_mtok_usd'},
        {'token_type': 'output', 'tokens': 'output_tokens', 'rate': 'output_per_mtok_usd'},
        {'token_type': 'cache_read', 'tokens': 'cache_read_tokens',
            'rate': 'cache_read_per_mtok_usd'},
        {'token_type': 'cache_write_5m',
            'tokens': '(cache_write_tokens - cache_write_1h_tokens)',
            'rate': 'cache_write_5m_per_mtok_usd'},
        {'token_type': 'cache_write_1h', 'tokens': 'cache_write_1h_tokens',
            'rate': 'cache_write_1h_per_mtok_usd'},
    ]) }}
{% endmacro %}

{#- USD of `tokens` at `rate` USD per million tokens. -#}
{% macro token_cost(tokens, rate) -%}
    {{ tokens }} * {{ rate }} / 1000000.0
{%- endmacro %}
