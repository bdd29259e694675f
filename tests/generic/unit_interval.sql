{#- Shares and ratios of a part to its whole lie between 0 and 1 (NULL allowed). -#}
{% test unit_interval(model, column_name) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 1

{% endtest %}
