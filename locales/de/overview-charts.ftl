# Die Zeitreihen der Übersicht: Befunde je Prüfung und Tag, Veröffentlichungsdauer je Tag.
overview-long-drift = { $count ->
    [one] lange Drift zu entscheiden
   *[other] lange Driften zu entscheiden
}
overview-findings-title = Befunde je Prüfung und Tag
overview-findings-hint = Änderungen jedes Tages mit einem Befund der jeweiligen Prüfung; eine Zeile je Prüfung, alle im selben Maßstab.
overview-findings-none = Keine Änderung der letzten 14 Tage hatte einen Befund.
overview-findings-list = { $check }: { $count } in 14 Tagen.
overview-findings-quiet = Kein Befund in diesen Tagen:
overview-numbers = Die Zahlen
overview-check = Prüfung
overview-total = Summe
overview-latency-title = Veröffentlichungsdauer: Zeit von der Anfrage bis zur Veröffentlichung
overview-latency-hint = Je Tag, über die an diesem Tag veröffentlichten Änderungen (eine sofort veröffentlichte zählt 0 s).
overview-legend = Legende
overview-day = Tag (UTC)
overview-latency-published = Veröffentlichte Änderungen
overview-latency-median = Median
overview-latency-p90 = 90. Perzentil
