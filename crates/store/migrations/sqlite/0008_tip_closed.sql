-- Tips by the day they were settled: a figure as of an earlier day reads the
-- month aggregates and corrects them with the few tips settled after that day.
CREATE INDEX tip_closed ON tip (closed_on);
