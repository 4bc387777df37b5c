"""Articles in the seed format, as the importer reads them: the scraped seed page beside the
project, and a small valid file of every part."""

from pathlib import Path

import pytest
from django.conf import settings

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_75590902209970e4.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"seed page not found at {SEED}")

VALID = """联系我们

地址 青溪市云岭区溪山路88号
邮编:350900

电话 0599-1234567
0599-7654321

邮箱e-mail office@example.cn
service@example.cn

测试导入的文章标题

来源:青溪党建网 点击数:42 日期:2024-03-15 09:42:10

导语段落,说明会议情况。

议程一:实地观摩
观摩段落,介绍情况。
云岭区睦邻服务站
服务站段落,介绍做法。

议程二:座谈会
座谈段落,领导讲话。

(来源:青溪党建网)
"""
