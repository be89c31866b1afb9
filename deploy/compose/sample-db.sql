-- Runs once, on the first start of the compose postgres service (empty data volume).
-- Database "sample" (POSTGRES_DB) is the source; "warehouse" is the demo target.
CREATE DATABASE warehouse;

\connect sample

CREATE TABLE public.orders (
  id          bigint PRIMARY KEY,
  customer_id integer NOT NULL,
  status      text NOT NULL,
  amount      numeric(12, 2) NOT NULL,
  ordered_at  timestamptz NOT NULL
);

INSERT INTO public.orders (id, customer_id, status, amount, ordered_at)
SELECT g,
       1 + (g * 7919) % 5000,
       (ARRAY['new', 'paid', 'shipped', 'returned'])[1 + g % 4],
       round(((g * 104729) % 100000) / 100.0, 2),
       timestamptz '2025-01-01 00:00:00+00' + (g || ' minutes')::interval
FROM generate_series(1, 100000) AS g;

ANALYZE public.orders;
