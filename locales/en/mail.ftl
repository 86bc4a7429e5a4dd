# Notification mails: subjects, text, the facts table and the footer. Values: $ip the address,
# $name the PTR asked for (or what fails, in drift), $in_force the PTR in force.

mail-hello = Hello { $username },
mail-fact-address = Address
mail-fact-ptr = PTR
mail-fact-requested = Requested PTR
mail-fact-why = Why
mail-fact-note = Admin's note
mail-fact-fails = What fails

mail-published-subject = PTR published for { $ip }: { $name }
mail-published-intro = DNS now confirms { $name }: the PTR you asked for { $ip } is published.
mail-rejected-subject = PTR not published for { $ip }: { $name }
mail-rejected-intro = The PTR you asked for { $ip } was not published; the PTR in force stays. Fix what the checks found and save it again, or ask for a review.
mail-approved-subject = Review decided for { $ip }: approved
mail-approved-intro = An admin approved { $name } for { $ip }; it is published.
mail-denied-subject = Review decided for { $ip }: denied
mail-denied-intro = An admin denied { $name } for { $ip }; the PTR in force stays.
mail-drift-subject = Drift: the PTR of { $ip } fails its checks
mail-drift-intro = When { $in_force } was checked again, it no longer passed. It stays published; fix DNS (for example the forward record) and the drift clears at the next check.
mail-drift-over-subject = Drift over: the PTR of { $ip } passes again
mail-drift-over-intro = { $in_force } passes its checks again.

mail-fact-ptr-until-now = PTR until now
mail-fix-subject = Please fix the PTR of { $ip }: it has failed its checks for a long time
mail-fix-intro = { $in_force } for { $ip } has failed its checks for a long time, and an admin asks you to fix it: correct DNS (for example the forward record) or set another PTR. It stays published for now.
mail-reset-subject = PTR of { $ip } reset to the provider default
mail-reset-intro = { $in_force } for { $ip } had failed its checks for a long time; an admin reset it to the provider default. You may set a new PTR at any time.

mail-digest-subject = { $count ->
    [one] { $count } new review request
   *[other] { $count } new review requests
}
mail-digest-intro = Customers asked for a review of these PTRs since the last digest:
mail-digest-item = { $customer } { $ip } asks for { $name } ({ $at })
mail-digest-the-default = the default
mail-digest-more = and { $count } more

mail-action-addresses = See your addresses
mail-action-why = See why
mail-action-entry = See the entry
mail-action-queue = Open the review queue

mail-footer = ptrdesk sends you this because of your notification settings ({ $topic }).
mail-footer-change = Change them
mail-footer-stop = Stop these mails
