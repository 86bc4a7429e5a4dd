# The user's own pages: language and time zone, notifications, sessions.

## Language and time zone (/account/preferences)
preferences-title = Language and time zone
preferences-lead = How ptrdesk reads for you, on every browser you sign in with. Mails follow the same choice.
preferences-language = Language
preferences-language-browser = As my browser asks
preferences-language-hint = Without a choice, ptrdesk follows the languages your browser asks for.
preferences-time-zone = Time zone
preferences-time-zone-hint = A name such as Europe/Berlin. Empty: { $default }, your provider's default.
preferences-example = Times then read like this: { $now }
preferences-save = Save
preferences-saved = Your language and time zone are saved.
preferences-unknown-language = ptrdesk does not speak that language. Nothing was changed.
preferences-unknown-time-zone = “{ $name }” is not a time zone name. Choose one from the list, such as Europe/Berlin or UTC.

## Notifications (/account/notifications)
notifications-title = Notifications
notifications-lead = What ptrdesk tells you by e-mail. Every mail has a link to the page it is about and a link that stops mails of its kind, without signing in.
notifications-no-mail = This panel sends no mail yet: your provider has not connected it to a mail server. Your settings are kept for when it does.
notifications-email = Your e-mail address
notifications-email-hint = Empty: no mail at all. If you sign in through your provider's account, it keeps this address up to date.
notifications-no-topics = Your role receives no notification mails.
notifications-topics = Send me a mail when
notifications-save = Save
notifications-saved = Your notification settings are saved.
notifications-recent = Recent notifications
notifications-none = Nothing yet. What you are told by mail is listed here too.
email-empty = Enter an e-mail address.
email-too-long = An e-mail address has at most 254 characters.
email-malformed = “{ $typed }” is not an e-mail address such as name@example.net.
topic-pending = A change that waited for DNS was published, or expired
topic-review = An admin decided a change you asked to be reviewed
topic-drift = A published PTR began or stopped failing its checks (drift), or an admin acted on a long drift
topic-review-digest = Digest of new review requests

## The list of recent notifications
notice-published = Published
notice-published-text = { $new } is now the PTR of { $ip }: DNS confirmed it.
notice-rejected = Rejected
notice-rejected-text = { $new } for { $ip } was not published: DNS did not confirm it in time, or a check failed.
notice-approved = Approved
notice-approved-text = An admin approved { $new } for { $ip }.
notice-denied = Denied
notice-denied-text = An admin denied { $new } for { $ip }.
notice-drift = Drift
notice-drift-text = { $old } for { $ip } fails its checks: { $new }
notice-drift-over = Drift over
notice-drift-over-text = { $old } for { $ip } passes its checks again.
notice-fix = Please fix
notice-fix-text = An admin asks you to fix { $old } for { $ip }: “{ $new }”
notice-reset = Reset
notice-reset-text = An admin reset { $old } for { $ip } to the provider default: “{ $new }”
notice-review = Review
notice-review-text = A customer asked for a review of { $ip }: “{ $new }”
notice-event = Event
notice-event-text = { $action } for { $ip }

## Unsubscribed (/mail/unsubscribe)
unsubscribed-title = Unsubscribed
unsubscribed-heading = No more of these mails
unsubscribed-text = You will no longer receive mails about: { $topic }.
unsubscribed-again = Changed your mind? Sign in and turn it on again under

## Where you're signed in (/sessions)
sessions-title = Where you're signed in
sessions-lead = Every browser signed in to your account. If you do not recognise one, sign it out and change your password. Sessions end after { $idle } without use and { $lifetime } after signing in.
sessions-of = Sessions of { $name }
sessions-of-lead = Where { $name } is signed in now. Ending a session signs that browser out at its next request; a password reset, a role change and disabling the user end all of them.
sessions-none = No open sessions.
sessions-col-browser = Browser
sessions-col-address = Address
sessions-col-signed-in = Signed in
sessions-col-last-seen = Last seen
sessions-col-actions = Actions
sessions-this-browser = This browser
sessions-sign-out = Sign out
sessions-sign-out-label = Sign out { $browser } at { $address }
sessions-sign-out-user = Sign { $name } out everywhere
sessions-sign-out-others = Sign out everywhere else
sessions-ended-one = That session is signed out.
sessions-ended-others = { $count ->
    [0] You were signed in nowhere else.
    [one] 1 other session is signed out.
   *[other] { $count } other sessions are signed out.
}
sessions-ended-user = { $name } is signed out everywhere ({ $count } sessions ended).
sessions-unknown-browser = Unknown browser
sessions-browser-on = { $browser } on { $system }
sessions-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
sessions-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
sessions-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
