"""snapdesk core: the domain, rules and services of the support desk.

Import direction: ``webapp -> core -> hooks``. Nothing here imports ``webapp``, Flask's request
objects, or any snap-in.
"""

__version__ = "0.1.0"
