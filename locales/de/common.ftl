# What every page shares: the language itself, formats, the frame, the error pages.

## The language
language-name = Deutsch

## Formats
format-datetime = %d.%m.%Y %H:%M %Z
format-date = %d.%m.%Y
format-group-separator = .

## The frame
skip-to-content = Zum Inhalt springen
footer = ptrdesk · Reverse-DNS für Ihre Server
nav-sections = Bereiche
nav-account = Konto
nav-reverse-dns = Reverse-DNS
nav-api-access = API-Zugang
nav-review-queue = Freigaben
nav-lookup = Suche
nav-drift = Abweichungen
nav-overview = Übersicht
nav-administration = Verwaltung
nav-audit-log = Protokoll
nav-where-signed-in = Wo Sie angemeldet sind
nav-notifications = Benachrichtigungen
nav-preferences = Sprache und Zeitzone
nav-sign-out = Abmelden
language-menu-label = Sprache
language-menu-change = Wechseln

## Error pages
error-request-id = Anfrage-ID:
error-back = Zurück zur Startseite
error-not-found-title = Nicht gefunden
error-not-found = Hier gibt es nichts, oder Sie dürfen es nicht sehen.
error-forbidden-title = Nicht erlaubt
error-forbidden = Ihr Konto darf dies ansehen, aber nicht ändern. Es wurde nichts geändert.
error-csrf-title = Formular abgelaufen
error-csrf = Dieses Formular wurde in einer anderen Sitzung geöffnet oder ist abgelaufen. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.
error-other-site-title = Von einer anderen Website gesendet
error-other-site = Dieses Formular wurde von einer Seite einer anderen Website gesendet, daher hat ptrdesk es nicht ausgeführt. Es wurde nichts geändert. Öffnen Sie ptrdesk selbst und verwenden Sie dessen eigene Seiten. (Betreiber: Hinter einem Proxy, der den Host-Header umschreibt, setzen Sie public_url.)
error-bad-request-title = Ungültige Anfrage
error-too-large-title = Zu viele Daten
error-too-large = Das Formular hat mehr Daten gesendet, als ptrdesk annimmt. Es wurde nichts geändert.
error-internal-title = Etwas ist schiefgegangen
error-internal = Ihre Anfrage konnte nicht ausgeführt werden. Es wurde nichts geändert. Bitte versuchen Sie es erneut; wenn es weiter fehlschlägt, nennen Sie dem Support die Anfrage-ID unten.
