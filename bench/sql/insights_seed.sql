-- Issue 27's benchmark store: :sessions sessions of store :'store' created over the :days days that end
-- today (UTC), as the service's facts, folded figures and unfolded deltas (V9) would hold them after those
-- sessions' histories. The figures are folded exactly as InsightFold folds them, except for the newest
-- :unfolded sessions, whose contributions stay in insight_delta as if the fold had not run yet.
-- Shape of the traffic: 8 big sources and a tail of 300 partners (about 600 source keys over the window),
-- 6 media, 40 campaigns, referrer hosts per source, 5,000 landing pages; the last touch differs from the
-- first for one session in ten; 35 % with items, 4 % converted, 20 % abandoned, 0.2 % recovered; USD and,
-- for one in ten, EUR.
INSERT INTO session_fact
SELECT :'store', 'bench-' || i, at, (at AT TIME ZONE 'UTC')::date, CASE WHEN i % 10 = 0 THEN 'EUR' ELSE 'USD' END,
       src, med, camp, ref, land,
       CASE WHEN i % 10 = 1 THEN 'retarget' ELSE src END, CASE WHEN i % 10 = 1 THEN 'cpc' ELSE med END,
       CASE WHEN i % 10 = 1 THEN 'winback' ELSE camp END, CASE WHEN i % 10 = 1 THEN '(direct)' ELSE ref END,
       CASE WHEN i % 10 = 1 THEN '/back' ELSE land END,
       i % 20 < 7, i % 25 = 0, i % 5 = 0, i % 500 = 0,
       CASE WHEN i % 25 = 0 THEN (1000 + i % 9000) / 100.0 ELSE 0 END, (500 + i % 20000) / 100.0
  FROM (SELECT i,
               date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - (:days - 1) * interval '1 day'
                   + (i - 1) * (:days * interval '1 day' - interval '1 second') / :sessions AS at,
               s.src, s.ref,
               (ARRAY['(none)', 'email', 'cpc', 'social', 'referral', 'affiliate'])[1 + i % 6] AS med,
               CASE WHEN i % 3 = 0 THEN '(none)' ELSE 'campaign-' || (i % 40) END AS camp,
               '/products/p-' || (i::bigint * 7919 % 5000) AS land
          FROM generate_series(1, :sessions) AS i,
               LATERAL (SELECT CASE WHEN i % 13 = 0 THEN 'partner-' || (i % 300)
                                    ELSE (ARRAY['google', 'facebook', 'newsletter', 'bing', '(direct)', 'instagram',
                                                'tiktok', 'pinterest'])[1 + i % 8] END AS src) AS b,
               LATERAL (SELECT b.src, CASE WHEN b.src = '(direct)' THEN '(direct)'
                                           ELSE 'www.' || b.src || '.example' END AS ref) AS s) AS g;

-- The folded figures of all but the newest :unfolded sessions (InsightFold's grouping).
INSERT INTO insight_day
SELECT f.store, t.touch, t.dimension, f.day, t.key, f.currency, count(*), count(*) FILTER (WHERE with_items),
       count(*) FILTER (WHERE converted), count(*) FILTER (WHERE abandoned),
       count(*) FILTER (WHERE abandoned AND NOT converted), count(*) FILTER (WHERE converted AND recovered),
       coalesce(sum(revenue) FILTER (WHERE converted), 0), coalesce(sum(value) FILTER (WHERE abandoned AND NOT converted), 0)
  FROM (SELECT * FROM session_fact WHERE store = :'store' ORDER BY created_at OFFSET 0 LIMIT :sessions - :unfolded) f
       CROSS JOIN LATERAL (VALUES ('first', 'source', f.first_source), ('first', 'medium', f.first_medium),
                                  ('first', 'campaign', f.first_campaign), ('first', 'referrer', f.first_referrer),
                                  ('first', 'landing', f.first_landing), ('last', 'source', f.last_source),
                                  ('last', 'medium', f.last_medium), ('last', 'campaign', f.last_campaign),
                                  ('last', 'referrer', f.last_referrer), ('last', 'landing', f.last_landing))
           AS t(touch, dimension, key)
 GROUP BY 1, 2, 3, 4, 5, 6;

-- The newest :unfolded sessions, not folded yet: one creation delta each (what a create writes).
INSERT INTO insight_delta (store, day, currency, first_source, first_medium, first_campaign, first_referrer,
                           first_landing, last_source, last_medium, last_campaign, last_referrer, last_landing,
                           sessions, with_items, converted, abandoned, lost, recovered, revenue, abandoned_value)
SELECT store, day, currency, first_source, first_medium, first_campaign, first_referrer, first_landing,
       last_source, last_medium, last_campaign, last_referrer, last_landing, 1, with_items::int, converted::int,
       abandoned::int, (abandoned AND NOT converted)::int, (converted AND recovered)::int,
       CASE WHEN converted THEN revenue ELSE 0 END, CASE WHEN abandoned AND NOT converted THEN value ELSE 0 END
  FROM (SELECT * FROM session_fact WHERE store = :'store' ORDER BY created_at DESC LIMIT :unfolded) f;

VACUUM ANALYZE session_fact;
VACUUM ANALYZE insight_day;
VACUUM ANALYZE insight_delta;
