WITH a AS (SELECT key COLLATE "C" AS key, currency, sessions, with_items, converted, abandoned, lost, recovered, revenue, abandoned_value
             FROM insight_day
            WHERE store = $1 AND touch = 'first' AND dimension = 'source' AND day BETWEEN $2 AND $3
           UNION ALL
           SELECT first_source COLLATE "C", currency, sessions, with_items, converted, abandoned, lost, recovered, revenue, abandoned_value
             FROM insight_delta
            WHERE store = $1 AND day BETWEEN $2 AND $3),
     g AS (SELECT key, currency, sum(sessions) AS sessions, sum(with_items) AS with_items, sum(converted) AS converted,
                  sum(abandoned) AS abandoned, sum(lost) AS lost, sum(recovered) AS recovered, sum(revenue) AS revenue,
                  sum(abandoned_value) AS abandoned_value
             FROM a GROUP BY key, currency HAVING sum(sessions) <> 0),
     r AS (SELECT key, row_number() OVER (ORDER BY sum(sessions) DESC, key) AS rank FROM g GROUP BY key)
SELECT CASE WHEN r.rank <= $4 THEN r.rank END AS rank, CASE WHEN r.rank <= $4 THEN g.key END AS key,
       g.currency, sum(sessions) AS sessions, sum(with_items) AS with_items, sum(converted) AS converted,
       sum(abandoned) AS abandoned, sum(lost) AS lost, sum(recovered) AS recovered, sum(revenue) AS revenue,
       sum(abandoned_value) AS abandoned_value
  FROM g JOIN r ON r.key = g.key GROUP BY 1, 2, 3 ORDER BY 1 NULLS LAST, 3
