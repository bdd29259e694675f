{#-
    Fixed-point decimal for money and other fractional sums: each row is rounded once to
    1e-12, so that sums are exact and the same whatever order a parallel engine adds them in
    (double sums are not, and a rebuild must give identical marts).
-#}
{% macro fixed_point(expression) -%}
    cast({{ expression }} as decimal(38, 12))
{%- endmacro %}
