"""Loading the dictionaries once, before worker processes are forked from a server.

Imported by the forkserver that the importer starts: jieba's dictionary, OpenCC's
converters and the figure engine's tables are built here once, and every worker forked
afterwards shares those pages instead of building its own copy (about 100 MB each).
A table built lazily on first use must be built here explicitly when the sample text
below does not reach it: otherwise every worker builds its own.
"""

import gc

from annotator.text import language
from annotator.text.figures import scan
from annotator.text.pipeline import analyse

scan._non_numeral_words()
language.load()  # py3langid's model, decompressed once
analyse("香港整体人力短缺达18万人，三成企业表示四川及两岸业务受影响。"
        "據香港入境事務處數據，獲批人數達5.02萬人。"
        "Only 200 people were hired, 15% of them graduates.")

# Everything loaded so far lives as long as the workers do: moved out of the cyclic
# collector's sight, collections neither walk it nor write to its pages (which would
# give each worker its own copy of pages it shares with the server).
gc.freeze()
