-- Count one request against an API key for the current minute; returns the minute's count so far.
INSERT INTO issues_apikeyusage (api_key_id, minute, count) VALUES (%(key)s, %(minute)s, 1)
ON CONFLICT (api_key_id, minute) DO UPDATE SET count = issues_apikeyusage.count + 1
RETURNING count;
