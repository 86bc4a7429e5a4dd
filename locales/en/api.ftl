# The native API's messages (/api/v1): the `message` of its errors. The Robot-compatible API
# (/rdns) reads them in English always; its clients parse the English words.

## Authentication and limits (both APIs)
api-login-blocked = Too many failed logins from { $source }: blocked for { $minutes } more minute(s).
api-login-required = HTTP basic authentication with API credentials is required.
api-login-wrong = Unable to authenticate: wrong user name or password.
api-rate-limit = At most { $max } requests per { $interval } seconds; try again in { $reset } seconds.
api-internal = The request could not be completed (request id { $id }).
api-scope-read = This credential has the scope read: it may read, not change.

## Requests
api-body-too-large = The request body is larger than this endpoint accepts; nothing was changed.
api-body-unreadable = The request body could not be read.
# $detail is serde's own description of what is wrong, in English.
api-body-not-json = The body is not the JSON this endpoint takes: { $detail }.
api-query-unreadable = The query string could not be read.
api-not-found = Not found: the routes of this API are listed in /api/v1/openapi.json.
api-method-not-allowed = { $method } is not allowed on { $path }; see /api/v1/openapi.json.
api-per-page = per_page must be a number from 1 to { $max }.
api-after = after must be an IP address (the `next` link gives it).
api-server = server must be a server id.
api-greeting = greeting must be true or false.
api-ptr-missing = The body needs "ptr": a host name, or null for the provider default.
api-if-match = If-Match must be one entry version as the ETag gives it, e.g. "3".

## Addresses and changes
api-ip-not-found = { $ip } is not one of your IP addresses.
api-version-mismatch = The PTR of { $ip } was changed since version { $asked }: it is now { $now } (version { $version }). Nothing was changed.
api-provider-default = the provider default
api-bulk-count = "changes" must hold 1 to { $max } changes; it holds { $count }.
api-bulk-ptr-missing = Every change needs "ptr": a host name, or null for the provider default.
api-bulk-not-applied = { $failed } of { $total } changes cannot be applied, so none was (atomic); see the items.

## Provisioning (staff credentials)
# $why is the database's own description, in English.
api-inventory-raced = Another writer changed the inventory meanwhile ({ $why }); nothing was changed. Send the same call again.
api-inventory-problems = { $count } problem(s) in the body; nothing was changed.
api-inventory-stale = The customer changed since the ETag given in If-Match; nothing was changed. GET it again.
api-customer-not-found = There is no customer { $number }.
