# The staff pages: lookup and an address's dossier (/lookup), drift (/drift), the overview (/overview).

## Lookup (/lookup)
lookup-title = Lookup
lookup-lead = Find who holds an address and what its PTR is. Type an IP address (any address inside a subnet finds it), a network such as 192.0.2.0/24, part of a host name, a customer number or name, or a server name.
lookup-search = Search
lookup-nothing-found = Nothing found for “{ $q }” (read as { $understood }).
lookup-results-for = Results for “{ $q }” (read as { $understood })
lookup-page = page { $page }
lookup-read-as-ip = an IP address
lookup-read-as-network = a network (CIDR)
lookup-read-as-number = a customer number (parts of names need at least 3 characters)
lookup-read-as-text = a customer, server or hostname
lookup-too-long = { $problem } Shorten it and search again.
lookup-col-kind = Kind
lookup-col-matched = Matched
lookup-col-dossier = Dossier
lookup-kind-address = Address
lookup-kind-network = Network
lookup-kind-customer = Customer
lookup-kind-server = Server
lookup-kind-hostname = Hostname
lookup-open = Open { $ip }
lookup-capped = Only the first { $count } results can be shown; narrow the search.

## One address (/lookup/ip/IP)
lookup-held-by = Held by
lookup-on-server = on server
lookup-held-by-end = .
lookup-not-held = No assignment holds this address.
lookup-owner-entry = Owner and entry
lookup-owner = Owner
lookup-not-assigned = Not assigned
lookup-server = Server
lookup-assignment = Assignment
lookup-ptr-in-force = PTR in force
lookup-provider-default = Provider default
lookup-version-written = (version { $version }, written { $at })
lookup-never-changed = (never changed)
lookup-reverification = Re-verification
lookup-drift = Drift
lookup-drift-since = since { $since }, last checked { $checked }
lookup-no-drift = No drift
lookup-no-default = None (no PTR unless the customer sets one)
lookup-open-change = Open change
lookup-state-published = published
lookup-state-pending = pending
lookup-state-rejected = rejected
lookup-state-in-review = in-review
lookup-state-denied = denied
lookup-back-to-default = back to the default
lookup-asked = asked { $at }
lookup-justification = Customer's justification: { $text }
lookup-admin-note = Admin's note: { $text }
lookup-none = None
lookup-dns-now = What DNS serves now
lookup-embedded-zone = ptrdesk's DNS (zone
lookup-embedded-serial = , serial { $serial }) answers
lookup-embedded-nxdomain = no PTR (NXDOMAIN)
lookup-no-public = No public name server status recorded for this zone.
lookup-col-public-server = Public name server
lookup-col-serial = Serial served
lookup-col-this-entry = This entry
lookup-col-asked = Asked
lookup-no-answer = no answer
lookup-serves-it = Serves it
lookup-not-yet = Not yet
lookup-no-zone = ptrdesk's DNS does not serve a zone for this address (DNS publishing is off, or the zone has not been synced yet).
lookup-last-findings = Last findings
lookup-change-of = Change of { $at } for
lookup-the-default = the default
lookup-superseded = (replaced by a newer request)
lookup-all-passed = All checks passed.
lookup-never-asked = No change was ever asked for this address.
lookup-run = Run the checks now
lookup-run-hint = Runs every check against live DNS and shows the findings. Nothing is saved.
lookup-hostname = Host name
lookup-findings-for = Findings for
lookup-findings-for-after = now:
lookup-mail = Mail readiness
lookup-mail-hint = Whether receivers will trust mail from this address: PTR, forward record, MX, SPF and DMARC of the PTR's domain, generic-name score and the configured blocklists. The SMTP greeting is tested only on request.
lookup-mail-check = Check mail readiness
lookup-mail-only-assigned = Only an assigned address is checked.
lookup-history = History
lookup-history-none = Nothing recorded for this address.
lookup-col-when = When
lookup-col-who = Who
lookup-col-door = Door
lookup-col-what = What
lookup-col-before = Before
lookup-col-after = After

## Drift (/drift)
drift-title = Drift
drift-lead = Published PTRs that passed their checks when they were saved but fail them now that they were checked again — the forward record moved, the domain lapsed. They stay published: ptrdesk never changes a customer's PTR by itself. The customer is told; once DNS is fixed, the drift clears at the next check. Longest drift first.
drift-failing-check = Failing check
drift-any-check = Any check
drift-older-than = Drifting for more than
drift-no-match = No drifting PTR matches this filter.
drift-none = No drift: every published PTR passed its checks when it was last checked again.
drift-summary = { $count ->
    [one] { $count } drifting PTR
   *[other] { $count } drifting PTRs
}
drift-col-for = For
drift-col-fails = What fails now
drift-col-last-checked = Last checked
drift-since = since { $at }

## Overview (/overview)
overview-title = Overview
overview-lead = How requests, reviews and published PTRs went over the last 14 days (days in UTC).
overview-waiting = waiting for review
overview-drifting = published PTRs drifting
overview-the-numbers = The numbers
overview-day-utc = Day (UTC)
overview-changes-title = Changes per day by outcome
overview-drift-title = Drift begun and ended per day
overview-queue-title = Review queue by age
overview-series-published = Published
overview-series-pending = Pending
overview-series-rejected = Rejected
overview-series-denied = Denied
overview-series-began = Began
overview-series-ended = Ended
overview-series-average = Average
overview-age-under-a-day = Under a day
overview-age-1-to-3-days = 1 to 3 days
overview-age-3-to-7-days = 3 to 7 days
overview-age-a-week = A week or more
overview-seconds = { $seconds } s
overview-minutes = { $minutes } min
overview-hours = { $hours } h
# The decimal point of "1.5 h".
overview-decimal-point = .
