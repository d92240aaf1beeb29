"""What a guide page shows where the agency's guide says nothing: the law's values.

Periods and their articles come from :mod:`generator.law`; the texts here
restate other articles of the regulations (categories withheld, proactive
scope, what an application must contain, fees), each with its article.
"""

from __future__ import annotations

from .. import law
from ..records import Agency

REG = law.REGULATIONS

NOT_DISCLOSED = (
    (
        "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及国家安全、"
        "公共安全、经济安全、社会稳定的政府信息",
        f"{REG}第十四条",
    ),
    (
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息（第三方同意公开或者不公开会对"
        "公共利益造成重大影响的，予以公开）",
        f"{REG}第十五条",
    ),
    ("人事管理、后勤管理、内部工作流程等方面的内部事务信息", f"{REG}第十六条第一款"),
    (
        "讨论记录、过程稿、磋商信函、请示报告等过程性信息以及行政执法案卷信息（法律、法规、规章规定应当"
        "公开的，从其规定）",
        f"{REG}第十六条第二款",
    ),
)

PROACTIVE_SCOPE = (
    "行政法规、规章和规范性文件",
    "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "规划及相关政策，统计信息",
    "行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "行政处罚、行政强制的依据、条件、程序以及有一定社会影响的行政处罚决定",
    "财政预算、决算信息，行政事业性收费项目及其依据、标准，政府集中采购",
    "医疗、社会保障等方面的政策、措施及其实施情况；突发公共事件的应急预案、预警信息及应对情况",
    "公共卫生、食品药品等的监督检查情况",
    "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
)
PROACTIVE_SCOPE_BASIS = f"{REG}第二十条"
PROACTIVE_WHERE = (
    "政府公报、政府网站或者其他互联网政务媒体、新闻发布会以及报刊、广播、电视等",
    "国家档案馆、公共图书馆、政务服务场所设置的政府信息查阅场所",
)
PROACTIVE_WHERE_BASIS = f"{REG}第二十三条、第二十五条"

FORM_FIELDS = (
    "申请人姓名或者名称",
    "身份证件名称及号码",
    "通信地址",
    "邮政编码",
    "联系电话",
    "电子邮箱",
    "所需政府信息的名称、文号或者便于查询的其他特征性描述",
    "获取信息的方式（纸面、电子邮件、光盘等）",
    "获取信息的途径（邮寄、电子邮件、自行领取等）",
)
FORM_BASIS = f"{REG}第二十九条"

FEES = (
    "行政机关依申请提供政府信息，不收取费用；申请人申请公开政府信息的数量、频次明显超过合理范围的，"
    "可以依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费。"
)
FEES_BASIS = f"{REG}第四十二条"

CORRECTION = (
    "认为本机关提供的与自身相关的政府信息记录不准确的，可以要求更正，并提供证据；本机关无权更正的，"
    "应当转送有权更正的行政机关处理，并告知申请人。"
)
CORRECTION_BASIS = f"{REG}第四十一条"
COMPLAINT = "认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报。"
COMPLAINT_BASIS = f"{REG}第五十一条"
COURT = "有管辖权的人民法院"
REFUSAL_FIRST = "对不予公开不服的，应当先申请行政复议，对复议决定不服再提起行政诉讼（复议前置）。"
REFUSAL_FIRST_BASIS = f"{law.RECONSIDERATION_LAW}第二十三条第一款第（四）项"


def reconsideration_body(agency: Agency) -> tuple[str, str]:
    """(body, basis) of administrative reconsideration for an agency's acts, by its level."""
    if agency.level == "national":
        return "作出该行政行为的国务院部门", f"{law.RECONSIDERATION_LAW}第二十五条"
    region = {"county": agency.city + agency.county, "city": agency.city}.get(agency.level)
    region = region or agency.province
    return f"{region}人民政府", f"{law.RECONSIDERATION_LAW}第二十四条"
