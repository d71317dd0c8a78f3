"""The units index page (units/) for the real registry, written down by hand: each kind's units in
the order a Chinese reader looks them up — by the pinyin of the name, the 市 prefix most city units
share left out (市财政局 files under C, 市税务局 under S, after 人民银行赣州中支). Polyphonic
characters as read in these names: 行 xíng in 行政审批, 都 dū in 宁都/于都.
Ties in the first syllable are broken by the next ones (公路 before 工信, 委办公室 before 委编办
before 卫健委 before 委宣传部; tones are ignored, as in an index).

Checked against the built page by tests/test_site.py; not computed by the code it checks."""

UNITS_INDEX = {
    "市直部门": [
        "市财政局",                 # cai
        "市大数据发展管理局",       # da
        "市发改委",                 # fa
        "市扶贫办",                 # fu
        "市公路局",                 # gong lu
        "市工信局",                 # gong xin
        "市果业局",                 # guo ye
        "市国资委",                 # guo zi
        "市交通运输局",             # jiao tong
        "市教育局",                 # jiao yu
        "市科技局",                 # ke
        "市口岸办",                 # kou
        "市林业局",                 # lin
        "市农业农村局",             # nong
        "市人社局",                 # ren
        "市山水林田湖生态保护中心", # shan
        "市商务局",                 # shang
        "市生态环境局",             # sheng
        "市市场监管局",             # shi
        "市水利局",                 # shui
        "市司法局",                 # si
        "市铁办",                   # tie
        "市委办公室",               # wei ban
        "市委编办",                 # wei bian
        "市卫健委",                 # wei jian
        "市委宣传部",               # wei xuan
        "市委组织部",               # wei zu
        "市文广新旅局",             # wen
        "市行政审批局",             # xing
        "市振兴办",                 # zhen
        "市政府办公室",             # zheng fu ban
        "市政府金融办",             # zheng fu jin
        "市重点办",                 # zhong
        "市住房和城乡建设局",       # zhu
        "市自然资源局",             # zi
    ],
    "驻市单位": ["赣州海关", "赣州银保监分局", "人民银行赣州中支", "市税务局"],
    "县（市、区）": ["安远县", "崇义县", "大余县", "定南县", "赣县区", "会昌县", "龙南市", "南康区", "宁都县",
                   "全南县", "瑞金市", "上犹县", "石城县", "信丰县", "兴国县", "寻乌县", "于都县", "章贡区"],
    "功能区": ["赣州国际陆港管委会", "赣州经开区", "赣州蓉江新区", "赣州综保区"],
    "高校/科研": ["赣南科学院", "赣南师范大学", "赣南医学院", "江西理工大学", "江西应用技术职业学院"],
    "企业": ["赣州供电公司", "赣州机场分公司"],
}
