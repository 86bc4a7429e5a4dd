# Warum der Schreibweg, eine Sammeländerung oder die Bereitstellung etwas abgelehnt hat: die
# Sätze von `SubmitError`, die Fehler der Einträge einer Sammeländerung und die Probleme des
# Bestands. Logs, das Protokoll und die Robot-kompatible API behalten das Englische.

## Eine abgelehnte Änderung (SubmitError)
refusal-conflict = dieser PTR-Eintrag wurde inzwischen von jemand anderem geändert
refusal-not-owned = diese Adresse gehört nicht Ihnen
refusal-delegated = die Reverse-Namen dieser Adresse sind an { $nameservers } delegiert: Setzen Sie ihren PTR-Eintrag auf diesen Nameservern oder beenden Sie zuerst die Delegierung
# Dasselbe, als eigener Satz auf einer Seite.
refusal-delegated-sentence = Die Reverse-Namen dieser Adresse sind an { $nameservers } delegiert: Setzen Sie ihren PTR-Eintrag auf diesen Nameservern oder beenden Sie zuerst die Delegierung.
refusal-database = Datenbankfehler

## Ein Eintrag einer Sammeländerung
refusal-bulk-not-an-ip = „{ $ip }“ ist keine IP-Adresse.
refusal-bulk-duplicate = { $ip } kommt weiter oben in dieser Sammeländerung schon vor; nennen Sie jede Adresse nur einmal.
refusal-bulk-not-owned = { $ip } ist keine Ihrer IP-Adressen.
refusal-bulk-rejected = Die Prüfungen lehnen diesen Namen ab (siehe die Befunde); eine atomare Sammeländerung speichert keine abgelehnte Änderung.
refusal-bulk-conflict = { $ip } wurde inzwischen von jemand anderem geändert (jetzt { $now }); versuchen Sie es erneut.
refusal-bulk-provider-default = der Standardname des Anbieters
refusal-bulk-write-failed = { $ip } konnte nicht gespeichert werden; für diese Adresse wurde nichts geändert. Senden Sie sie erneut.
# Eine Zeile einer CSV-Datei, die nicht gelesen werden konnte: $message sagt warum (schon ein Satz).
refusal-bulk-unreadable = { $message }

## Bereitstellung: was an einer Stelle des Inhalts falsch ist
refusal-inventory-number = Eine Kundennummer ist erforderlich (höchstens { $max } Zeichen).
refusal-inventory-number-twice = Kunde { $number } ist doppelt aufgeführt.
refusal-inventory-name = Der Name des Kunden ist erforderlich (höchstens { $max } Zeichen).
refusal-inventory-cancelled = Ein gekündigter Kunde hat keine Server: Führen Sie keine auf oder entfernen Sie „cancelled“.
refusal-inventory-server-name = Der Name des Servers ist erforderlich (höchstens { $max } Zeichen).
refusal-inventory-server-twice = Server { $server } ist für diesen Kunden doppelt aufgeführt.
refusal-inventory-network-length = Eine Adresse oder ein Netz hat höchstens { $max } Zeichen.
# $reason ist der eigene Satz des Adress-Parsers.
refusal-inventory-network-twice = { $network } ist doppelt aufgeführt (auch bei { $other }).
refusal-inventory-overlap = { $network } überschneidet sich mit { $other } (bei { $other_path }).
refusal-inventory-overlap-held = { $network } überschneidet sich mit { $other } von Kunde { $number }; nur dasselbe Netz kann umziehen.
refusal-inventory-other-customer = Der Inhalt nennt einen anderen Kunden als der Pfad ({ $number }).
