# Anmelden: das Passwortformular, die Schaltfläche des Anbieters, der zweite Faktor und seine Wiederherstellungscodes.

## Anmelden (/login)
login-title = Anmelden
login-lead = Verwalten Sie das Reverse-DNS Ihrer Server.
login-with-provider = Mit { $provider } anmelden
login-or-password = oder mit einem ptrdesk-Passwort
login-username = Benutzername
login-password = Passwort
login-submit = Anmelden
login-wrong = Benutzername oder Passwort ist nicht richtig.
login-locked = Zu viele fehlgeschlagene Anmeldungen. Die Anmeldung ist noch { $minutes } Minute(n) gesperrt; versuchen Sie es später erneut.
login-admins-only = Die Anmeldung mit Passwort ist hier Administratoren vorbehalten: Verwenden Sie die Anmelde-Schaltfläche oben.
login-provider-refused = { $provider } hat Sie nicht angemeldet ({ $detail }).
login-provider-unreachable = Der Anmeldedienst ist gerade nicht erreichbar. Versuchen Sie es in einer Minute erneut.
login-provider-unknown-state = Dieser Anmeldelink wurde bereits verwendet oder nicht in diesem Browser gestartet. Beginnen Sie erneut mit der Anmelde-Schaltfläche.
login-provider-unverified = Die Antwort des Anmeldedienstes ließ sich nicht überprüfen, daher sind Sie nicht angemeldet. Beginnen Sie erneut mit der Anmelde-Schaltfläche; wenn es weiter fehlschlägt, wenden Sie sich an den Support.

## Der zweite Schritt (/login/code)
code-title = Zweiter Schritt
code-heading = Code eingeben
code-lead-before = Ihr Passwort für
code-lead-after = war richtig. Öffnen Sie Ihre Authenticator-App und geben Sie den 6-stelligen Code ein, den sie für ptrdesk anzeigt, oder einen Ihrer Wiederherstellungscodes.
code-label = Code
code-start-again = Neu beginnen
code-wrong = Dieser Code ist nicht richtig oder wurde schon verwendet. Geben Sie den Code ein, den Ihre App jetzt anzeigt.
code-locked = Die Anmeldung ist noch { $minutes } Minute(n) gesperrt.
code-locked-start-again = Zu viele falsche Codes. Die Anmeldung ist noch { $minutes } Minute(n) gesperrt; beginnen Sie danach erneut mit Ihrem Passwort.

## Den zweiten Faktor einrichten (/login/enrol)
enrol-title = Anmeldung mit zweitem Faktor einrichten
enrol-lead = Mitarbeiterkonten melden sich mit Passwort und einem Code aus einer Authenticator-App an (jede App für TOTP-Codes: Google Authenticator, Aegis, 1Password, …). Richten Sie es einmalig ein für
enrol-scan = Scannen Sie diesen Code mit der App:
enrol-qr = QR-Code für Ihre Authenticator-App
enrol-type-key = Oder geben Sie diesen Schlüssel in der App ein:
enrol-enter-code = Geben Sie den 6-stelligen Code ein, den die App jetzt anzeigt:
enrol-submit = Bestätigen und anmelden

## Wiederherstellungscodes
recovery-title = Ihre Wiederherstellungscodes
recovery-save-now = Die Anmeldung mit zweitem Faktor ist aktiv. Speichern Sie diese Codes jetzt: Sie werden nicht noch einmal angezeigt.
recovery-how = Verlieren Sie Ihr Telefon, melden Sie sich mit einem davon statt eines Codes an; jeder funktioniert einmal.
