# The user's own pages: language and time zone, notifications, sessions.

## Language and time zone (/account/preferences)
preferences-title = Sprache und Zeitzone
preferences-lead = Wie ptrdesk für Sie spricht, in jedem Browser, mit dem Sie sich anmelden. E-Mails folgen derselben Wahl.
preferences-language = Sprache
preferences-language-browser = Wie mein Browser es wünscht
preferences-language-hint = Ohne Auswahl folgt ptrdesk den Sprachen, die Ihr Browser anfragt.
preferences-time-zone = Zeitzone
preferences-time-zone-hint = Ein Name wie Europe/Berlin. Leer: { $default }, die Voreinstellung Ihres Anbieters.
preferences-example = Zeiten lauten dann so: { $now }
preferences-save = Speichern
preferences-saved = Ihre Sprache und Zeitzone sind gespeichert.
preferences-unknown-language = Diese Sprache spricht ptrdesk nicht. Es wurde nichts geändert.
preferences-unknown-time-zone = „{ $name }“ ist kein Zeitzonenname. Wählen Sie einen aus der Liste, etwa Europe/Berlin oder UTC.

## Benachrichtigungen (/account/notifications)
notifications-title = Benachrichtigungen
notifications-lead = Was ptrdesk Ihnen per E-Mail mitteilt. Jede E-Mail enthält einen Link zur betreffenden Seite und einen Link, der E-Mails dieser Art abbestellt, ohne Anmeldung.
notifications-no-mail = Dieses Panel versendet noch keine E-Mails: Ihr Anbieter hat es noch nicht mit einem Mailserver verbunden. Ihre Einstellungen bleiben dafür gespeichert.
notifications-email = Ihre E-Mail-Adresse
notifications-email-hint = Leer: gar keine E-Mails. Wenn Sie sich über das Konto Ihres Anbieters anmelden, hält dieser die Adresse aktuell.
notifications-no-topics = Ihre Rolle erhält keine Benachrichtigungen per E-Mail.
notifications-topics = Schicken Sie mir eine E-Mail, wenn
notifications-save = Speichern
notifications-saved = Ihre Einstellungen für Benachrichtigungen sind gespeichert.
notifications-recent = Letzte Benachrichtigungen
notifications-none = Noch nichts. Was Ihnen per E-Mail mitgeteilt wird, steht auch hier.
email-empty = Geben Sie eine E-Mail-Adresse ein.
email-too-long = Eine E-Mail-Adresse hat höchstens 254 Zeichen.
email-malformed = „{ $typed }“ ist keine E-Mail-Adresse wie name@example.net.
topic-pending = eine Änderung, die auf DNS wartete, veröffentlicht wurde oder abgelaufen ist
topic-review = ein Admin über eine Änderung entschieden hat, für die Sie eine Freigabe angefragt haben
topic-drift = ein veröffentlichter PTR-Eintrag seine Prüfungen nicht mehr oder wieder besteht (Abweichung), oder ein Admin sich um eine lange Abweichung gekümmert hat
topic-review-digest = es neue Freigabeanfragen gibt (Zusammenfassung)

## Die Liste der letzten Benachrichtigungen
notice-published = Veröffentlicht
notice-published-text = { $new } ist jetzt der PTR-Eintrag von { $ip }: DNS hat ihn bestätigt.
notice-rejected = Abgelehnt
notice-rejected-text = { $new } für { $ip } wurde nicht veröffentlicht: DNS hat ihn nicht rechtzeitig bestätigt, oder eine Prüfung ist fehlgeschlagen.
notice-approved = Freigegeben
notice-approved-text = Ein Admin hat { $new } für { $ip } freigegeben.
notice-denied = Abgelehnt
notice-denied-text = Ein Admin hat { $new } für { $ip } abgelehnt.
notice-drift = Abweichung
notice-drift-text = { $old } für { $ip } besteht seine Prüfungen nicht: { $new }
notice-drift-over = Abweichung behoben
notice-drift-over-text = { $old } für { $ip } besteht seine Prüfungen wieder.
notice-fix = Bitte beheben
notice-fix-text = Ein Admin bittet Sie, { $old } für { $ip } zu korrigieren: „{ $new }“
notice-reset = Zurückgesetzt
notice-reset-text = Ein Admin hat { $old } für { $ip } auf den Standardnamen zurückgesetzt: „{ $new }“
notice-review = Freigabe
notice-review-text = Ein Kunde hat eine Freigabe für { $ip } angefragt: „{ $new }“
notice-event = Ereignis
notice-event-text = { $action } für { $ip }

## Abbestellt (/mail/unsubscribe)
unsubscribed-title = Abbestellt
unsubscribed-heading = Keine E-Mails dieser Art mehr
unsubscribed-text = Sie erhalten keine E-Mails mehr zu: { $topic }.
unsubscribed-again = Doch anders entschieden? Melden Sie sich an und schalten Sie es wieder ein unter

## Wo Sie angemeldet sind (/sessions)
sessions-title = Wo Sie angemeldet sind
sessions-lead = Jeder Browser, der bei Ihrem Konto angemeldet ist. Erkennen Sie einen nicht, melden Sie ihn ab und ändern Sie Ihr Passwort. Sitzungen enden nach { $idle } ohne Nutzung und spätestens nach { $lifetime } ab der Anmeldung.
sessions-of = Sitzungen von { $name }
sessions-of-lead = Wo { $name } gerade angemeldet ist. Das Beenden einer Sitzung meldet diesen Browser bei seiner nächsten Anfrage ab; ein Zurücksetzen des Passworts, ein Rollenwechsel und das Deaktivieren des Benutzers beenden alle.
sessions-none = Keine offenen Sitzungen.
sessions-col-browser = Browser
sessions-col-address = Adresse
sessions-col-signed-in = Angemeldet
sessions-col-last-seen = Zuletzt aktiv
sessions-col-actions = Aktionen
sessions-this-browser = Dieser Browser
sessions-sign-out = Abmelden
sessions-sign-out-label = { $browser } bei { $address } abmelden
sessions-sign-out-user = { $name } überall abmelden
sessions-sign-out-others = Überall sonst abmelden
sessions-ended-one = Diese Sitzung ist abgemeldet.
sessions-ended-others = { $count ->
    [0] Sie waren nirgendwo sonst angemeldet.
    [one] 1 andere Sitzung ist abgemeldet.
   *[other] { $count } andere Sitzungen sind abgemeldet.
}
sessions-ended-user = { $name } ist überall abgemeldet ({ $count } Sitzungen beendet).
sessions-unknown-browser = Unbekannter Browser
sessions-browser-on = { $browser } unter { $system }
sessions-days = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tagen
}
sessions-hours = { $count ->
    [one] { $count } Stunde
   *[other] { $count } Stunden
}
sessions-minutes = { $count ->
    [one] { $count } Minute
   *[other] { $count } Minuten
}
