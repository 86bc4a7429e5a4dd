# The customer's pages: reverse DNS (/ips), bulk changes, API access, mail readiness; the pieces
# every page draws the same way (findings, pager, a secret shown once).

## Reverse DNS (/ips)
ips-title = Reverse DNS
ips-lead = Set the host name (PTR record) each of your IP addresses points back to. Mail servers expect it to be the name your server greets with, and that name should point forward to the same IP.
ips-bulk-link = Change many at once (CSV)
ips-nothing-saved = Nothing was saved. { $problem }
ips-filter-server-name = Server name contains
ips-filter-server = Server
ips-filter-all-servers = All servers
ips-filter-ip = IP address or network
ips-filter-ip-placeholder = 192.0.2.10 or 2001:db8::/64
ips-filter-hostname = Host name contains
ips-filter = Filter
ips-filter-clear = Clear
ips-none-match = No IP addresses match this filter.
ips-show-all = Show all
ips-none-yet = You have no IP addresses yet. They appear here as soon as your provider assigns them to one of your servers.
ips-assignments = { $count ->
    [one] { $shown } assignment
   *[other] { $shown } assignments
}
ips-page-of = page { $page } of { $pages }
ips-server = Server
ips-server-mail = Mail readiness of every address on { $server }
ips-delegated-note = The PTRs of { $network } are served by your own name servers (below); set them there.
ips-subnet-empty = No PTR records in this subnet yet.
ips-subnet-truncated = More entries exist; filter by IP address to find one.
ips-add-address = Address in { $network }
ips-add-address-placeholder = any address in { $network }
ips-add-hostname = Host name
ips-add = Add PTR
ips-delegation-title = Your own name servers
ips-delegated-to = Delegated to
ips-delegated-zone = : they serve the zone
ips-delegated-end = .
ips-delegation-end = End the delegation
ips-delegation-hint-before = Serve the zone
ips-delegation-hint-after = on two or more name servers of yours, then name them here. ptrdesk checks that each answers for it before it delegates.
ips-name-server = Name server { $number }
ips-name-server-optional = Name server { $number } (optional)
ips-delegate = Delegate

## One address's row
row-admin-note = Admin's note: { $note }
row-in-force = In force now: { $name }
row-default-in-use = Provider default in use
row-no-ptr = No PTR set
row-drift = Drift
row-drift-note = { $message } — since { $since }. Your PTR stays published; fix DNS and it clears at the next check.
row-mail-readiness = Mail readiness
row-mail-readiness-of = Mail readiness of { $ip }
row-save = Save
row-test-mail = Test mail
row-test-mail-title = Connect to port 25 of { $ip } and compare the server's greeting with this name
row-reset = Reset to default
row-remove = Remove
row-ask-review = Ask for review
row-review-hint = Sure this name is right for { $ip } despite the findings? Say why; an admin decides and you see the answer here.
row-justification = Justification

## The live check under a field
live-all-passed = All checks passed.
live-checking = Checking DNS…

## Bulk changes (/bulk)
bulk-title = Bulk changes
bulk-lead-format = Change many PTR records at once: one line per address,
bulk-lead-empty = Leave the host name empty
bulk-lead-default = to go back to the provider default.
bulk-lead-check = shows what each line would become without saving anything;
bulk-lead-apply = saves them.
bulk-back = Back to Reverse DNS
bulk-check = Check
bulk-apply = Apply
bulk-lines = Lines
bulk-lines-hint = CSV: ip,hostname — at most { $max }
bulk-file = Or read a CSV file into the box
bulk-atomic = All or nothing: apply no line unless every line can be applied (a line the checks reject counts as one that cannot)
bulk-col-line = Line
bulk-col-ip = IP address
bulk-col-hostname = Host name
bulk-col-result = Result
bulk-col-findings = Findings

## API access (/api-credentials)
credentials-title = API access
credentials-lead = Scripts and tools manage your PTR records through the Robot-compatible API with these credentials: clients written for the Hetzner Robot rDNS webservice work by changing only their base URL. Each credential has its own user name and secret; revoke one and everything using it stops at once.
credentials-created = Your new credential “{ $label }”
credentials-secret-hash = ptrdesk keeps only a hash of it. If you lose it, revoke this credential and create a new one.
credentials-create-title = Create a credential
credentials-name = Name
credentials-name-placeholder = e.g. deploy script on web-1
credentials-create = Create credential
credentials-yours = Your credentials
credentials-none = No API credentials yet.
credentials-col-created = Created
credentials-col-last-used = Last used
credentials-col-status = Status
credentials-col-actions = Actions
credentials-never = Never
credentials-revoked = Revoked
credentials-active = Active
credentials-revoke = Revoke
credentials-revoke-label = Revoke { $label } ({ $username })
credentials-howto-title = Using the API
credentials-howto-auth = HTTP basic authentication with a credential's user name and secret; send
credentials-howto-form = form-encoded; answers are JSON.
credentials-howto-refused = A name the checks reject is refused with
credentials-howto-findings = and the findings;
credentials-howto-pending = a name that waits for DNS answers with
credentials-howto-published = and is published once DNS confirms it.
credentials-example-all = every PTR you have set
credentials-example-one = the PTR of one address
credentials-example-set = set or change it
credentials-example-default = back to the provider default
credentials-limits-rate = Limits: { $requests } requests per { $seconds } seconds for all your credentials together;
credentials-limits-logins = { $failures } failed logins from one address block that address for { $minutes } minutes.

## A secret shown once
secret-copy-now = Copy the secret now: it will not be shown again.
secret-kept = ptrdesk keeps only what it needs to check it. If it is lost, make a new one.
secret-user-name = User name
secret-secret = Secret

## Mail readiness (/ips/…/mail, /servers/…/mail)
mail-server-link = All addresses of server { $server }
mail-lead = Whether mail servers will trust mail sent from { $count ->
        [one] this address
       *[other] these addresses
    }: the PTR, the forward record, the SMTP greeting, the domain's MX, SPF and DMARC records, how generated the name looks. The greeting is tested only when you ask.
mail-lead-blocklists = Whether mail servers will trust mail sent from { $count ->
        [one] this address
       *[other] these addresses
    }: the PTR, the forward record, the SMTP greeting, the domain's MX, SPF and DMARC records, how generated the name looks, and the blocklists { $zones }. The greeting is tested only when you ask.
mail-at-a-glance = At a glance
mail-col-address = Address
mail-col-ptr = PTR in force
mail-col-verdict = Verdict
mail-no-ptr = none
mail-none = No address of this server to check yet: single addresses and small IPv4 subnets are listed whole; addresses in an IPv6 subnet appear here once they have a PTR.
mail-more = More addresses
mail-more-hint = This page checks the first { $count } addresses of the server. Open the others one by one:
readiness-fix = Fix:
readiness-caption = Mail checks of { $ip }
readiness-col-check = Check
readiness-col-result = Result
readiness-col-found = What was found
readiness-test = Test the greeting
readiness-test-again = Test the greeting again
readiness-blocklist = Blocklist
readiness-cached = answer kept from an earlier check
readiness-asked = asked { $name } A

## Pieces of every page: findings, pager
ui-severity = { $severity ->
    [info] info
    [warning] warning
    [unverified] unverified
   *[error] error
}
ui-in-dns = in DNS:
ui-pages = Pages
ui-previous = Previous
ui-next = Next
ui-page = Page { $page }
ui-page-of = Page { $page } of { $pages }

## What a form of the Reverse DNS page answers
ips-missing-version = The form is missing the entry version; reload the page.
ips-enter-hostname = Enter a host name, or use “Reset to default”.
ips-the-default = the provider default
ips-conflict = Someone else changed this PTR to { $now } while you were editing. Check it and save again to replace it.
ips-note = Note: { $note }
ips-published = The PTR of { $ip } is now { $name }.
ips-back-to-default = { $ip } is back to the provider default.
ips-removed = The PTR of { $ip } was removed.
ips-pending = { $name } for { $ip } waits for DNS and is checked again automatically; the current PTR stays until it passes.
ips-rejected = { $name } was not published for { $ip }: see the reasons beside the field.
ips-unchanged = Nothing to save: { $ip } already has this PTR.
ips-add-conflict = Someone else set this PTR at the same moment; check the list and try again.
ips-add-not-an-address = Enter a full IP address inside this subnet, e.g. 2001:db8::25.
ips-add-outside = This address is not inside this subnet.
readiness-status = { $status ->
    [pass] OK
    [warning] Warning
    [fail] Problem
    [unverified] No answer
   *[not-checked] Not tested
}
readiness-listing = { $status ->
    [pass] Not listed
    [fail] Listed
   *[unverified] No answer
}
readiness-check-ptr = PTR in force
readiness-check-forward = Forward-confirmed
readiness-check-greeting = SMTP greeting
readiness-check-mx = MX of the domain
readiness-check-spf = SPF of the domain
readiness-check-dmarc = DMARC of the domain
readiness-check-generic = Generic-name score
mail-heading-address = Mail readiness of { $ip }
mail-heading-server = Mail readiness of server { $server }
mail-refused = You ran many checks in a short time; nothing was checked now. Try again in { $seconds } s.

## Where an open change stands (the row's box)
open-pending = Waiting for DNS. It is checked again automatically until { $until }; the current PTR stays until then.
open-its-deadline = its deadline
open-rejected = Not published: fix what is listed below and save again, or ask an admin for review.
open-in-review = Waiting for an admin's decision.
open-denied = Refused by an admin. You may request another name.
open-state = { $state ->
    [pending] Pending
    [rejected] Rejected
    [in-review] In review
    [denied] Denied
   *[published] Published
}
row-in-force-none = no PTR
row-dns-live = { $count ->
    [one] Live on the public name server
   *[other] Live on all { $count } public name servers
}
row-dns-waiting = Publishing: not yet served by { $servers }

## The live check's refusals
live-refused-dns = Too many checks in a short time — wait { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }; this name was not checked against DNS. Saving checks it in full.
live-refused-mail = Too many checks in a short time — wait { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }; the mail server was not asked. Saving checks it in full.

## Bulk changes: what a check or an apply answers
bulk-applied = Applied { $count } { $count ->
        [one] line
       *[other] lines
    }: { $published } published, { $pending } pending, { $rejected } rejected, { $unchanged } unchanged. Pending and rejected changes are shown with their reasons on the Reverse DNS page.
bulk-checked = Checked { $count } { $count ->
        [one] line
       *[other] lines
    }; nothing was saved. Applying them would give: { $published } published, { $pending } pending, { $rejected } rejected, { $unchanged } unchanged.
bulk-problem-checked = { $failed } of { $total } { $total ->
        [one] line
       *[other] lines
    } cannot be applied; see below. Nothing was saved.
bulk-problem-atomic = Nothing was applied: { $failed } of { $total } { $total ->
        [one] line
       *[other] lines
    } cannot be, and all or nothing was asked for. Fix them (or untick “All or nothing”) and apply again.
bulk-problem-applied = Applied { $applied } of { $total } { $total ->
        [one] line
       *[other] lines
    }; the { $failed } { $failed ->
        [one] line
       *[other] lines
    } marked below were not.
bulk-provider-default = provider default
bulk-cannot-apply = Cannot be applied
bulk-not-applied = Not applied
bulk-unchanged = Unchanged
bulk-state = { $state ->
    [published] Published
    [pending] Pending
    [rejected] Rejected
    [in-review] In review
   *[denied] Denied
}
bulk-would-be = { $state ->
    [published] Would be published
    [pending] Would be pending
    [rejected] Would be rejected
    [in-review] Would be in review
   *[denied] Would be denied
}
csv-open-quote = This line has a quote that is not closed.
csv-reset-hint = Expected “ip,hostname”; to reset { $ip } to the default write “{ $ip },”.
csv-expected = Expected “ip,hostname”.
csv-field-count = Expected two fields “ip,hostname”, found { $count }.
csv-empty = Paste at least one line “ip,hostname”.
csv-too-many = { $lines } lines is more than the { $max } changes one batch may hold; split the file.

## API access: the form's answers
credentials-name-missing = Name the credential, e.g. after the script or server that will use it.
credentials-name-too-long = Use at most { $max } characters.
credentials-too-many = You already have { $max } active credentials, the most allowed. Revoke one you no longer use, then create this one.

## Delegation
delegation-done = Delegated to { $nameservers }: set the PTRs of this block on those name servers now.
delegation-ended = The delegation ended: ptrdesk serves the PTRs of this block again.
delegation-not-delegated = This block was not delegated; nothing changed.
delegation-not-allowed = Delegation is not enabled for this assignment; ask your provider to allow it.
delegation-count = Name at least two name servers (and at most { $max }).
delegation-not-a-hostname = { $name } is not a host name: { $reason }
delegation-not-ready = The name servers are not ready for the delegation.
credentials-revoked-now = “{ $label }” ({ $username }) is revoked: requests with it are refused from now on.
credentials-revoked-already = “{ $label }” ({ $username }) was already revoked.
ips-kind-v4-address = IPv4 address
ips-kind-v4-subnet = IPv4 subnet
ips-kind-v6-subnet = IPv6 subnet
