"""The investigator's loop: alerts raised from detection, scoring and propagation runs;
cases opened from them and closed with a verdict; verdicts fed back as labels; and the
monitoring of the loop (alert precision, score drift, lead time).

Pure rules (merge, priority, dismissal, the case state machine, PSI) live apart from
the graph I/O, as everywhere in fraudgraph.
"""
