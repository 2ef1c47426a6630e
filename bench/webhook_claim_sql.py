"""Prints the courier's claim statement as DeliveryQueue.java builds it (CLAIM + HEAD with "-1"),
so that bench/webhooks.sh explains the statement the service runs, not a copy of it."""
import re
import sys

source = open(sys.argv[1]).read()


def constant(name):
    match = re.search(r'String ' + name + r' = """\n(.*?)"""', source, re.S)
    return match.group(1)


claim = constant("CLAIM")
assert re.search(r'CLAIM = """.*?""" \+ HEAD\.formatted\("-1"\);', source, re.S), "the claim is no longer CLAIM + HEAD"
print(claim + constant("HEAD").replace("%s", "-1"))
