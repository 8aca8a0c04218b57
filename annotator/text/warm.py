"""Loading the dictionaries once, before worker processes are forked from a server.

Imported by the forkserver that the importer starts: jieba's dictionary, OpenCC's
converters and the figure engine's tables are built here once, and every worker forked
afterwards shares those pages instead of building its own copy (about 100 MB each).
"""

from annotator.text.pipeline import analyse

analyse("香港整体人力短缺达18万人。據香港入境事務處數據，獲批人數達5.02萬人。"
        "Only 200 people were hired, 15% of them graduates.")
