"""Carbon accounting and dual-carbon analytics (碳达峰 carbon peak, 碳中和 carbon neutrality).

Modules: ``factors`` (emission-factor library), ``inventory`` (GB/T 32150-2015 inventory),
``trajectory`` (peak and neutrality analysis), ``decomposition`` (Kaya, LMDI-I, Tapio),
``projection`` (driver growth by period, STIRPAT), ``montecarlo`` (peak-year distribution),
``models`` (validated input files).
"""
