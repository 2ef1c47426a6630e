"""Prints the courier's claim statement as DeliveryQueue.java builds it (CLAIM with ASYNC_COMMIT, then
HEAD with no events left out and $8 deliveries per queue), so that bench/webhooks.sh explains the statement the service runs, not
a copy of it."""
import re
import sys

source = open(sys.argv[1]).read()


def constant(name):
    return re.search(r'String ' + name + r' = """\n(.*?)"""', source, re.S).group(1)


assert re.search(r'''CLAIM = """.*?"""\.formatted\(ASYNC_COMMIT\) \+ HEAD\.formatted\("'\{\}'::bigint\[\]", "\$8"\);''', source, re.S), \
    "the claim is no longer built as this script expects: update it"
async_commit = re.search(r'ASYNC_COMMIT = "(.*?)";', source).group(1)
print(constant("CLAIM").replace("%s", async_commit)
      + constant("HEAD").replace("%1$s", "'{}'::bigint[]").replace("%2$s", "$8"))
