# The review queue (/admin/review) and one change under review (/admin/review/ID).

review-queue-title = Review queue
review-queue-lead = Requested PTRs that were not published because of an error finding, oldest first. Open one to see why, run its checks again, and approve it (publish it despite the findings) or deny it. Your note is shown to the customer. PTRs that have failed their checks for a long time (drift) are items too.
review-filter-left-out = That filter was left out.
review-filter-finding = Finding
review-filter-any-finding = Any finding
review-filter-customer = Customer name or number
review-filter-customer-placeholder = K10001 or Demo Hosting
review-filter-older-than = Older than
review-filter-age-placeholder = 12h or 3d
review-filter-age-hint = Hours (h) or days (d).
review-filter-button = Filter
review-filter-clear = Clear
review-filter-no-such-check = There is no check called “{ $name }”.
review-filter-age-problem = Write the age as hours or days, e.g. 12h or 3d.
review-queue-no-match = No change in the queue matches this filter.
review-show-all = Show all
review-queue-empty = The queue is empty: no requested PTR is waiting for a decision.
review-queue-summary = { $count ->
    [one] { $count } change waiting
   *[other] { $count } changes waiting
}
review-page-of = page { $page } of { $pages }
review-col-age = Age
review-col-customer = Customer
review-col-requested = Requested name
review-col-state = State
review-col-findings = Findings
review-col-justification = Justification
review-requested-at = requested { $at }
review-in-dns = in DNS:
review-none-yet = none yet
review-state-rejected = Rejected
review-state-in-review = In review
review-state-pending = Pending
review-state-denied = Denied
review-state-published = Published
review-age-now = just now
review-age-minutes = { $minutes } min
review-age-hours = { $hours } h
review-age-days = { $days } d
review-age-days-hours = { $days } d { $hours } h
review-ago = { $age } ago

## One change (/admin/review/ID)
review-detail-title = Review { $name }
review-back = Back to the queue
review-detail-requested-for = Requested for
review-detail-lead = by { $customer }, server { $server } ({ $network }),
review-nothing-decided = Nothing was decided.
review-ptr-in-force = PTR in force
review-in-force-default = { $name } (provider default)
review-no-ptr = no PTR
review-requested = Requested
review-justification = Customer's justification
review-not-asked = The customer has not asked for review; you may decide anyway.
review-last-checked = Last checked { $at }.
review-no-findings = No findings.
review-recheck = Run the checks again now
review-decision = Decision
review-note = Note to the customer (required)
review-approve = Approve
review-deny = Deny
review-decision-hint = Approve publishes { $name } for { $ip } despite its findings; deny keeps { $in_force } in force. Either way the customer sees your note.
review-history-of = History of { $ip }
review-history-none = Nothing recorded yet.
review-col-when = When
review-col-who = Who
review-col-door = Door
review-col-what = What
review-col-before = Before
review-col-after = After

## Flash messages after a decision or a new check
review-nothing-changed = Nothing was changed: { $error }.
review-nothing-changed-conflict = Nothing was changed: { $error }. Look at the PTR in force and decide again.
review-the-provider-default = the provider default
review-the-requested-name = the requested name
review-its-address = its address
review-approved = Approved: { $name } is now the PTR of { $ip }.
review-denied = Denied: { $name } for { $ip } stays unpublished. The customer sees your note beside the address.
review-rechecked = { $count ->
    [0] Checked again: no error now. The change is still waiting for your decision; approve it to publish it.
    [one] Checked again: 1 error remains. The findings below are the new ones.
   *[other] Checked again: { $count } errors remain. The findings below are the new ones.
}
