# Signing in: the password form, the provider's button, the second factor and its recovery codes.

## Sign in (/login)
login-title = Sign in
login-lead = Manage the reverse DNS of your servers.
login-with-provider = Sign in with { $provider }
login-or-password = or with a ptrdesk password
login-username = Username
login-password = Password
login-submit = Sign in
login-wrong = The username or password is not right.
login-locked = Too many failed sign-ins. Signing in is locked for { $minutes } more minute(s); try again later.
login-admins-only = Password sign-in is kept for administrators here: use the sign-in button above.
login-provider-refused = { $provider } did not sign you in ({ $detail }).
login-provider-unreachable = The sign-in provider cannot be reached just now. Try again in a minute.
login-provider-unknown-state = This sign-in link was already used or was not started in this browser. Start again with the sign-in button.
login-provider-unverified = The sign-in provider's answer could not be verified, so you are not signed in. Start again with the sign-in button; if it keeps failing, tell support.

## The second step (/login/code)
code-title = Second step
code-heading = Enter your code
code-lead-before = Your password for
code-lead-after = was right. Open your authenticator app and enter the 6-digit code it shows for ptrdesk, or one of your recovery codes.
code-label = Code
code-start-again = Start again
code-wrong = That code is not right, or was used already. Enter the code your app shows now.
code-locked = Signing in is locked for { $minutes } more minute(s).
code-locked-start-again = Too many wrong codes. Signing in is locked for { $minutes } more minute(s); then start again with your password.

## Setting up the second factor (/login/enrol)
enrol-title = Set up two-factor sign-in
enrol-lead = Staff accounts sign in with a password and a code from an authenticator app (any app for TOTP codes: Google Authenticator, Aegis, 1Password, …). Set it up once for
enrol-scan = Scan this code with the app:
enrol-qr = QR code for your authenticator app
enrol-type-key = Or type this key into the app:
enrol-enter-code = Enter the 6-digit code the app shows now:
enrol-submit = Confirm and sign in

## Recovery codes
recovery-title = Your recovery codes
recovery-save-now = Two-factor sign-in is on. Save these codes now: they are not shown again.
recovery-how = If you lose your phone, sign in with one of them in place of a code; each works once.
