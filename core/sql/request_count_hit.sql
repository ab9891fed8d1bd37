-- Count one request of a client in the current window of a limit; returns the window's count so far.
INSERT INTO core_requestcount (scope, key, window_start, count) VALUES (%(scope)s, %(key)s, %(window_start)s, 1)
ON CONFLICT (scope, key, window_start) DO UPDATE SET count = core_requestcount.count + 1
RETURNING count;
