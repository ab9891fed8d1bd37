-- One more use of a kind on a day (a day's row made at its first use).
INSERT INTO heritage_usagecount (day, kind, count)
VALUES (%(day)s, %(kind)s, 1)
ON CONFLICT (day, kind) DO UPDATE SET count = heritage_usagecount.count + 1
RETURNING count;
