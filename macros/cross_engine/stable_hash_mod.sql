{#-
    A deterministic pseudo-random integer in [0, modulus) from an expression: the same input
    gives the same draw on every run, so bootstrap intervals are reproducible.
-#}
{% macro stable_hash_mod(expression, modulus) %}
    {{ return(adapter.dispatch('stable_hash_mod', 'tpsp')(expression, modulus)) }}
{% endmacro %}

{% macro default__stable_hash_mod(expression, modulus) -%}
    cast(hash({{ expression }}) % cast({{ modulus }} as ubigint) as integer)
{%- endmacro %}

{% macro spark__stable_hash_mod(expression, modulus) -%}
    cast(pmod(xxhash64({{ expression }}), {{ modulus }}) as int)
{%- endmacro %}
