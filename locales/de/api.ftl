# Die Meldungen der nativen API (/api/v1): die `message` ihrer Fehler. Die Robot-kompatible
# API (/rdns) liest sie immer auf Englisch; ihre Clients werten die englischen Wörter aus.

## Anmeldung und Grenzen (beide APIs)
api-login-blocked = Zu viele fehlgeschlagene Anmeldungen von { $source }: noch { $minutes ->
    [one] eine Minute
   *[other] { $minutes } Minuten
} gesperrt.
api-login-required = HTTP-Basic-Authentifizierung mit API-Zugangsdaten ist erforderlich.
api-login-wrong = Anmeldung nicht möglich: Benutzername oder Passwort falsch.
api-rate-limit = Höchstens { $max } Anfragen in { $interval } Sekunden; versuchen Sie es in { $reset ->
    [one] einer Sekunde
   *[other] { $reset } Sekunden
} erneut.
api-internal = Die Anfrage konnte nicht abgeschlossen werden (Anfrage-ID { $id }).
api-scope-read = Diese Zugangsdaten haben den Bereich read: Sie dürfen lesen, nicht ändern.

## Anfragen
api-body-too-large = Der Inhalt der Anfrage ist größer, als dieser Endpunkt annimmt; es wurde nichts geändert.
api-body-unreadable = Der Inhalt der Anfrage konnte nicht gelesen werden.
# $detail ist serdes eigene Beschreibung des Fehlers, auf Englisch.
api-body-not-json = Der Inhalt ist nicht das JSON, das dieser Endpunkt annimmt: { $detail }.
api-query-unreadable = Der Query-String konnte nicht gelesen werden.
api-not-found = Nicht gefunden: Die Routen dieser API stehen in /api/v1/openapi.json.
api-method-not-allowed = { $method } ist auf { $path } nicht erlaubt; siehe /api/v1/openapi.json.
api-per-page = per_page muss eine Zahl von 1 bis { $max } sein.
api-after = after muss eine IP-Adresse sein (der `next`-Link nennt sie).
api-server = server muss die ID eines Servers sein.
api-greeting = greeting muss true oder false sein.
api-ptr-missing = Der Inhalt braucht „ptr“: einen Hostnamen, oder null für den Standardnamen des Anbieters.
api-if-match = If-Match muss eine Version des Eintrags sein, wie das ETag sie nennt, z. B. "3".

## Adressen und Änderungen
api-ip-not-found = { $ip } ist keine Ihrer IP-Adressen.
api-version-mismatch = Der PTR-Eintrag von { $ip } wurde seit Version { $asked } geändert: Er ist jetzt { $now } (Version { $version }). Es wurde nichts geändert.
api-provider-default = der Standardname des Anbieters
api-bulk-count = „changes“ muss 1 bis { $max } Änderungen enthalten; es enthält { $count }.
api-bulk-ptr-missing = Jede Änderung braucht „ptr“: einen Hostnamen, oder null für den Standardnamen des Anbieters.
api-bulk-not-applied = { $failed } von { $total } Änderungen können nicht übernommen werden, daher wurde keine übernommen (atomar); siehe die Einträge.

## Bereitstellung (Zugangsdaten für Mitarbeiter)
# $why ist die eigene Beschreibung der Datenbank, auf Englisch.
api-inventory-raced = Ein anderer Schreibvorgang hat den Bestand inzwischen geändert ({ $why }); es wurde nichts geändert. Senden Sie denselben Aufruf erneut.
api-inventory-problems = { $count ->
    [one] Ein Problem
   *[other] { $count } Probleme
} im Inhalt; es wurde nichts geändert.
api-inventory-stale = Der Kunde wurde seit dem ETag in If-Match geändert; es wurde nichts geändert. Rufen Sie ihn mit GET erneut ab.
api-customer-not-found = Es gibt keinen Kunden { $number }.
