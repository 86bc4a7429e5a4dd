# The overview's time series: findings by check per day, publishing latency per day.
overview-long-drift = { $count ->
    [one] long drift to review
   *[other] long drifts to review
}
overview-findings-title = Findings by check per day
overview-findings-hint = Changes requested each day with a finding of each check; one row per check, all on one scale.
overview-findings-none = No change of the last 14 days had a finding.
overview-findings-list = { $check }: { $count } in 14 days.
overview-findings-quiet = No finding in these days:
overview-numbers = The numbers
overview-check = Check
overview-total = Total
overview-latency-title = Publishing latency: time from request to publication
overview-latency-hint = Per day, over the changes published that day (a change published at once counts 0 s).
overview-legend = Legend
overview-day = Day (UTC)
overview-latency-published = Changes published
overview-latency-median = Median
overview-latency-p90 = 90th percentile
