# Long drift as a review item: the queue's section and the item's page (/admin/review/drift/…).

## The queue's section
long-drift-title = Published PTRs failing their checks for more than { $days } days
long-drift-lead = They stay published until you or the customer change them. Open one to keep it as it is, ask the customer to fix it, or reset it to the provider default. An item leaves the queue by itself when its drift ends.
long-drift-count = { $count ->
    [one] 1 long drift waiting
   *[other] { $count } long drifts waiting
}
long-drift-longest-shown = the { $shown } longest shown;
long-drift-all = all drift
long-drift-column-age = Drifting for
long-drift-column-customer = Customer
long-drift-column-ip = IP
long-drift-column-ptr = PTR in force
long-drift-column-fails = What fails
long-drift-no-change-waiting = No requested PTR is waiting for a decision.

## The item's page
drift-item-title = Drift of { $ip }
drift-item-back = ← Back to the queue
drift-item-lead = The PTR of { $ip } for { $customer } has failed its checks for { $age }. It stays published until you or the customer change it.
drift-item-in-force = PTR in force
drift-item-since = Failing since
drift-item-earlier = Earlier decision
drift-item-none-yet = None yet.
drift-item-found = What the last check found
drift-item-checked = Last checked { $at }.
drift-item-no-findings = No findings.
drift-item-recheck = Run the checks again now
drift-item-decision = Decision
drift-item-nothing-decided = Nothing was decided.
drift-item-note = Note (required)
drift-item-note-hint = The customer reads it when you ask them or reset their PTR; the audit log keeps it either way.
drift-item-ask = Ask the customer to fix it
drift-item-keep = Keep it as it is
drift-item-reset = Reset to the provider default
drift-item-ask-explained = the customer gets your note by mail and in the panel; if it still drifts { $days } days later, it is back here.
drift-item-keep-explained = { $name } stays published and leaves the queue until this drift ends.
drift-item-reset-explained = the provider default is published for { $ip } at once; the customer gets your note and may set a new PTR.
drift-item-history = History of { $ip }
drift-item-nothing-recorded = Nothing recorded yet.
drift-item-when = When
drift-item-who = Who
drift-item-door = Door
drift-item-what = What
drift-item-before = Before
drift-item-after = After

## What the admin is told
drift-row-asked = customer asked { $at }
drift-earlier-kept = On { $at } { $by } kept it as it is: “{ $note }”
drift-earlier-asked = On { $at } { $by } asked the customer to fix it: “{ $note }”
drift-an-admin = an admin
drift-decided-keep = Kept: the PTR of { $ip } stays as it is and leaves the queue until its drift ends.
drift-decided-ask = Asked: the customer is told by mail and in the panel. If { $ip } still drifts in { $days } days, it is back in the queue.
drift-decided-reset = Reset: { $ip } has the provider default again; the customer is told why.
drift-note-required = A note is required: it says why in the audit log, and the customer reads it when you ask them or reset their PTR.
drift-not-drifting = Nothing was changed: this PTR no longer drifts; it passes again, or it was changed meanwhile.
drift-reset-refused = Nothing was changed: { $reason }.
drift-recheck-passes = Checked again: it passes now. The drift is over and the item left the queue.
drift-recheck-unknown = Checked again: DNS did not answer, or the entry changed meanwhile; nothing changed.
drift-recheck-fails = Checked again: it still fails. The findings below are the new ones.
