# What every page shares: the language itself, formats, the frame, the error pages.

## The language
# Its own name for itself, in the language menu.
language-name = English

## Formats (jiff's strftime patterns; the group separator of large numbers)
format-datetime = %Y-%m-%d %H:%M %Z
format-date = %Y-%m-%d
format-group-separator = ,

## The frame
skip-to-content = Skip to content
footer = ptrdesk · reverse DNS for your servers
nav-sections = Sections
nav-account = Account
nav-reverse-dns = Reverse DNS
nav-api-access = API access
nav-review-queue = Review queue
nav-lookup = Lookup
nav-drift = Drift
nav-overview = Overview
nav-administration = Administration
nav-audit-log = Audit log
nav-where-signed-in = Where you're signed in
nav-notifications = Notifications
nav-preferences = Language and time zone
nav-sign-out = Sign out
language-menu-label = Language
language-menu-change = Change

## Error pages
error-request-id = Request id:
error-back = Back to the start page
error-not-found-title = Not found
error-not-found = There is nothing here, or it is not yours to see.
error-forbidden-title = Not allowed
error-forbidden = Your account can look this up but not change it. Nothing was changed.
error-csrf-title = Form expired
error-csrf = This form was opened in another session or has expired. Go back, reload the page and try again.
error-other-site-title = Sent from another site
error-other-site = This form was sent from a page of another site, so ptrdesk did not act on it. Nothing was changed. Open ptrdesk itself and use its own pages. (Operators: behind a proxy that rewrites the Host header, set public_url.)
error-bad-request-title = Bad request
error-too-large-title = Too much data
error-too-large = The form sent more data than ptrdesk accepts. Nothing was changed.
error-internal-title = Something went wrong
error-internal = Your request could not be completed. Nothing was changed. Please try again; if it keeps failing, tell support the request id below.
