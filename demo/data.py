"""Static content of the demo: xã Kông Lơng Khơng, huyện Kbang, tỉnh Gia Lai, 2022 review and 2023 plan.

What is real and what is invented:
- Real (from the commune's 2023 plan, ../shared/seed/ke-hoach-thoat-ngheo-2023.txt, and
  docs/domain.md §1): the administrative codes, the five named villages with their household and
  poor-household counts, the commune totals (242 poor of 1,160; 233 poor of 914 ethnic-minority
  households), the 51 exit registrations, the plan's text, its departments, recipients and signer.
- INVENTED: the "other villages" (Kon Brăp, Đăk Pơ Kao, Tơ Lang, Hợp Thành, Quyết Thắng: the plan
  does not list them, only that together they hold 533 households and 58 poor ones), the ethnic
  split inside each village, near-poor and average-living counts, the plan's number and issue date,
  every person, name, ID number, phone, income, deprivation and support action, the end-of-2023
  review of the registered households (who exits and why not), and all user accounts. Names are
  synthetic; any match with a real person is chance.

All text here is NFC (the loader normalises again anyway).
"""

import datetime

# The one place the demo password is set; documented in the README. Never use it outside a demo.
DEMO_PASSWORD = "demo-povertyplan-2023"

SEED = 2023
REVIEW_YEAR = 2022
PLAN_YEAR = 2023
STANDARD_CODE = "2022-2025"
PROGRAMME_CODE = "ntp-spr-2021-2025"

PROVINCE = {"code": "64", "name": "Gia Lai"}
DISTRICT = {"code": "625", "name": "Kbang"}
COMMUNE = {"code": "23668", "name": "Kông Lơng Khơng"}
HOUSEHOLD_CODE_PREFIX = "KLK"

# One row per village. `households`/`poor` of the five named villages are the plan's figures;
# `minority` = ethnic-minority (DTTS) households, `minority_poor` = poor ones among them;
# `other_minorities` = ethnic-minority households whose head is not Bahnar (the rest are Ba Na);
# `near_poor`/`average` = households on those lists; `exits` = households registered to exit in 2023.
# The last five villages are INVENTED (see the module docstring): they make up the plan's
# "other villages", 533 households with 58 poor.
VILLAGES = [
    {
        "name": "Bờ-Chư pâu",
        "kind": "village",
        "households": 146,
        "poor": 42,
        "minority": 144,
        "minority_poor": 42,
        "other_minorities": {},
        "near_poor": 16,
        "average": 28,
        "exits": 9,
        "invented": False,
    },
    {
        "name": "Mơ Tôn",
        "kind": "village",
        "households": 92,
        "poor": 33,
        "minority": 92,
        "minority_poor": 33,
        "other_minorities": {},
        "near_poor": 11,
        "average": 18,
        "exits": 7,
        "invented": False,
    },
    {
        "name": "Dơng",
        "kind": "village",
        "households": 44,
        "poor": 12,
        "minority": 43,
        "minority_poor": 12,
        "other_minorities": {},
        "near_poor": 5,
        "average": 9,
        "exits": 3,
        "invented": False,
    },
    {
        "name": "Mơhra-Đáp",
        "kind": "village",
        "households": 209,
        "poor": 58,
        "minority": 205,
        "minority_poor": 57,
        "other_minorities": {"Gia Rai": 2},
        "near_poor": 22,
        "average": 40,
        "exits": 12,
        "invented": False,
    },
    {
        "name": "Mơhven-Ôr",
        "kind": "village",
        "households": 136,
        "poor": 39,
        "minority": 133,
        "minority_poor": 39,
        "other_minorities": {},
        "near_poor": 15,
        "average": 25,
        "exits": 8,
        "invented": False,
    },
    # --- invented villages: the plan's "other villages" (533 households, 58 poor) ---
    {
        "name": "Kon Brăp",
        "kind": "village",
        "households": 130,
        "poor": 18,
        "minority": 124,
        "minority_poor": 18,
        "other_minorities": {"Gia Rai": 1},
        "near_poor": 12,
        "average": 24,
        "exits": 4,
        "invented": True,
    },
    {
        "name": "Đăk Pơ Kao",
        "kind": "village",
        "households": 104,
        "poor": 14,
        "minority": 98,
        "minority_poor": 13,
        "other_minorities": {},
        "near_poor": 9,
        "average": 18,
        "exits": 3,
        "invented": True,
    },
    {
        "name": "Tơ Lang",
        "kind": "village",
        "households": 71,
        "poor": 11,
        "minority": 58,
        "minority_poor": 10,
        "other_minorities": {"Gia Rai": 6},
        "near_poor": 6,
        "average": 12,
        "exits": 2,
        "invented": True,
    },
    {
        "name": "Hợp Thành",
        "kind": "hamlet",
        "households": 128,
        "poor": 8,
        "minority": 12,
        "minority_poor": 6,
        "other_minorities": {"Gia Rai": 3, "Tày": 2},
        "near_poor": 6,
        "average": 15,
        "exits": 2,
        "invented": True,
    },
    {
        "name": "Quyết Thắng",
        "kind": "hamlet",
        "households": 100,
        "poor": 7,
        "minority": 5,
        "minority_poor": 3,
        "other_minorities": {"Mường": 1},
        "near_poor": 4,
        "average": 11,
        "exits": 1,
        "invented": True,
    },
]

VILLAGE_KIND_WORD = {"village": "làng", "hamlet": "thôn"}

# Ethnic groups whose households count as indigenous Central Highlands groups (DTTC).
INDIGENOUS = {"Ba Na", "Gia Rai"}

# ---------------------------------------------------------------------------------------------
# The 2023 plan. Texts are the seed's, with its hard line breaks joined; one paragraph per line.
# ---------------------------------------------------------------------------------------------
PLAN = {
    "title": "Kế hoạch phụ trách, giúp đỡ các hộ thoát nghèo trên địa bàn xã năm 2023",
    "subject": "Phụ trách, giúp đỡ các hộ thoát nghèo trên địa bàn xã năm 2023",
    # INVENTED: the seed shows no number and no date; the plan follows the district's plan of
    # 15/02/2023, so a date a few days later.
    "number": "18/KH-UBND",
    "issued_on": datetime.date(2023, 2, 20),
    "place": "Kông Lơng Khơng",
    "starts_on": datetime.date(2023, 1, 1),
    "ends_on": datetime.date(2023, 12, 31),
    "target_exits": 51,
    "legal_bases": [
        "Căn cứ Quyết định số 90/QĐ-TTg ngày 18 tháng 01 năm 2022 của Thủ tướng Chính phủ phê duyệt "
        "Chương trình mục tiêu quốc gia (MTQG) giảm nghèo bền vững giai đoạn 2021-2025;",
        "Thực hiện Kế hoạch số 165/KH-UBND ngày 15/02/2023 của UBND huyện Kbang Thực hiện Chương trình "
        "mục tiêu quốc gia Giảm nghèo bền vững trên địa bàn huyện năm 2023; Nghị quyết số 11-NQ/HU ngày "
        "27/12/2022 của Ban chấp hành Đảng bộ huyện về chỉ tiêu, nhiệm vụ năm 2023; Nghị quyết số "
        "143/NQ-HĐND ngày 20/12/2022 của Hội đồng nhân dân huyện về kế hoạch phát triển kinh tế-xã hội "
        "năm 2023;",
    ],
    "introduction": (
        "Trên cơ sở kết quả rà soát hộ nghèo, hộ cận nghèo năm 2022 theo chuẩn nghèo đa chiều giai đoạn "
        "2022-2025 và tình hình thực tế của địa phương, Uỷ ban nhân dân xã Kông Lơng Khơng xây dựng kế "
        "hoạch thực hiện Chương trình mục tiêu giảm nghèo bền vững trên địa bàn xã năm 2023, cụ thể như sau:"
    ),
    "purposes": [
        "Tập trung huy động nguồn lực, thực hiện đồng bộ, có hiệu quả các dự án, chính sách phát triển "
        "kinh tế - xã hội để hỗ trợ giảm nghèo, tạo điều kiện cho người nghèo, cận nghèo phát triển sản "
        "xuất, tăng thu nhập, tiếp cận thuận lợi các dịch vụ xã hội cơ bản về y tế, giáo dục, nhà ở, nước "
        "sinh hoạt, vệ sinh môi trường, thông tin; giảm khoảng cách về thu nhập và mức sống giữa các vùng "
        "và các nhóm dân cư; thực hiện kịp thời các chính sách hỗ trợ hộ nghèo, cận nghèo, quan tâm giảm "
        "hộ nghèo có thành viên là Người có công cách mạng.",
        "Gắn giảm nghèo với thực hiện chương trình xây dựng nông thôn mới, phát triển kinh tế-xã hội vùng "
        "đồng bào dân tộc thiểu số; hoàn thành chỉ tiêu giảm tỷ lệ hộ nghèo năm 2023 theo chỉ tiêu, kế "
        "hoạch UBND tỉnh giao và Nghị quyết cấp uỷ, HĐND huyện giao.",
    ],
    "requirements": [
        "Kế hoạch này phải được các cấp, các ngành từ huyện đến cơ sở tổ chức triển khai thực hiện một cách "
        "thường xuyên, đồng bộ, với nội dung, hình thức phù hợp tại từng địa bàn quản lý; kết hợp chặt chẽ "
        "giữa kế hoạch thực hiện chương trình mục tiêu quốc gia giảm nghèo bền vững với các chương trình "
        "mục tiêu quốc gia xây dựng nông thôn mới, phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu "
        "số và miền núi.",
    ],
    # Section III keeps its sub-headings and dashes: it is free text, not a list of items.
    "support_forms": [
        "Các cán bộ, công chức được phân công phụ trách giúp đỡ các hộ nghèo phân tích thực trạng nguyên "
        "nhân nghèo của các hộ nghèo theo đúng thực tế, từ đó đưa ra các giải pháp giúp đỡ, hỗ trợ phù "
        "hợp. Cụ thể:",
        "1. Hỗ trợ về kiến thức – kỹ thuật:",
        "- Tư vấn cho các hộ gia đình đăng ký thoát nghèo năm 2023: Đăng ký nhu cầu để thoát nghèo phải "
        "phù hợp với điều kiện của từng gia đình, hỗ trợ về lựa chọn con, giống phù hợp, có giá thành phù "
        "hợp với điều kiện từng gia đình…",
        "- Vận động anh em, họ hàng trong gia đình hỗ trợ giúp đỡ hộ một phần kinh phí để xây dựng chuồng, "
        "trại (nếu có).",
        "2. Hỗ trợ về ngày công:",
        "Tham gia cùng gia đình được phân công giúp đỡ tùy vào điều kiện và năng lực.",
        "3. Hỗ trợ về con, giống, nguyên vật liệu",
        "- Bàn bạc, thống nhất với hộ gia đình được phân công giúp đỡ để mua nguyên vật liệu, con, giống… "
        "tùy vào điều kiện và năng lực.",
    ],
    "time_frame": (
        "Đảm bảo từ nay đến hết năm 2023, đảm bảo các hộ được phân công phụ trách giúp đỡ được thoát nghèo "
        "đảm bảo theo yêu cầu."
    ),
    "closing": (
        "Trên đây là Kế hoạch thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023 và Kế "
        "hoạch Phụ trách, giúp đỡ các hộ thoát nghèo năm 2023."
    ),
    "signer_authority": "TM. ỦY BAN NHÂN DÂN XÃ",
    "signer_title": "CHỦ TỊCH",
    "signer_name": "Trần Văn Nhơn",
    "recipients": [
        "Phòng Lao động -TBXH (b/c);",
        "TT Đảng ủy (b/c);",
        "TT HĐND xã (b/c);",
        "Lãnh đạo UBND xã;",
        "UBMTTQVN và các Hội, Đoàn thể xã;",
        "Trạm y tế xã và các trường học;",
        "Các thôn, làng;",
        "Lưu: VT, VX.",
    ],
}

# Section V: one department per block, with the block's heading and tasks exactly as in the seed
# (the seed's own spelling kept, e.g. "tiều Dự án 1"), and the programme projects it names
# (docs/domain.md §6). The note "(Có danh sách cán, bộ Công chức phụ trách các hộ cụ thể kèm theo)"
# after block 10 refers to the assignment annex, which the application produces from the data.
DEPARTMENTS = [
    {
        "code": "ldtbxh",
        "name": "Lao động - Thương binh và Xã hội",
        "heading": "Công chức Lao động - Thương binh và Xã hội",
        "projects": ["DA2"],
        "tasks": [
            "Trên cơ sở Kế hoạch giảm nghèo năm 2023 của huyện, tham mưu UBND xã xây dựng kế hoạch giảm "
            "nghèo xã kịp thời, sát thực tế, đúng quy định.",
            "Tham mưu UBND xã thực hiện Dự án 2; phối hợp với các ngành đôn đốc, kiểm tra, giám sát tình "
            "hình thực hiện các chính sách giảm nghèo, chương trình mục tiêu quốc gia giảm nghèo bền vững "
            "trên địa bàn huyện.",
            "Theo dõi, tổng hợp báo cáo kết quả thực hiện chương trình mục tiêu quốc gia giảm nghèo bền "
            "vững trên địa bàn xã định kỳ, đột xuất về UBND xã, UBND huyện theo quy định.",
            "Thực hiện tốt nhiệm vụ đào tạo nghề gắn với việc làm; phối hợp với trung tâm Dịch vụ việc làm "
            "Tỉnh thực hiện giới thiệu việc làm cho người lao động nông thôn, nhất là lao động nghèo, lao "
            "động người dân tộc thiểu số; tiếp tục thực hiện các chính sách an sinh xã hội đối với người "
            "nghèo, cận nghèo.",
            "Triển khai hỗ trợ kịp thời, đúng đối tượng về chính sách hỗ trợ tiền điện cho hộ nghèo, hộ "
            "chính sách xã hội theo quy định của Chính phủ.",
            "Tổ chức thực hiện kế hoạch rà soát hộ nghèo, hộ cận nghèo năm 2023 theo đúng quy định, đảm bảo "
            "thực chất, khách quan; đánh giá kết quả thực hiện Chương trình mục tiêu quốc gia giảm nghèo "
            "bền vững năm 2023 trên địa bàn xã.",
            "Tuyên truyền, vận động đồng bào vùng DTTS hạn chế, xóa bỏ dần các phong tục, tập quán lạc hậu, "
            "mê tín dị đoan; thực hiện nếp sống văn hóa khu dân cư và duy trì, phát huy các giá trị văn hóa "
            "tốt đẹp của các dân tộc.",
            "Chủ trì, phối hợp với các ban ngành liên quan tham mưu UBND xã thực hiện Chương trình mục tiêu "
            "quốc gia phát triển kinh tế-xã hội vùng đồng bào dân tộc thiểu số và miền núi được kịp thời, "
            "hiệu quả, đúng quy định, góp phần hỗ trợ, giúp giảm nghèo bền vững.",
            "Thực hiện tốt chỉ tiêu người dân tham gia BHYT; thực hiện việc cấp mới, cấp lại, chỉnh sửa thẻ "
            "BHYT cho người nghèo, cận nghèo, người có mức sống trung bình, các đối tượng BTXH theo đúng "
            "quy định, đảm bảo chính xác, đúng tiến độ, thuận tiện, nhanh gọn cho đối tượng.",
            "Phối hợp với các cơ quan vận động, tuyên truyền nhằm nâng cao nhận thức của người dân về lợi "
            "ích tham gia bảo hiểm y tế toàn dân, nhất là hộ làm nông-lâm-ngư nghiệp có mức sống trung "
            "bình, từng bước thực hiện mục tiêu bao phủ bảo hiểm y tế toàn dân.",
        ],
    },
    {
        "code": "nong-nghiep",
        "name": "Nông nghiệp và Môi trường",
        "heading": "Công chức Nông nghiệp và MT",
        "projects": ["DA3"],
        "tasks": [
            "Tham mưu UBND xã thực hiện Dự án 3.",
            "Tham mưu UBND xã thực hiện đồng bộ, hiệu quả các dự án thuộc chương trình MTQG xây dựng nông "
            "thôn mới có tác động trực tiếp đến người nghèo.",
            "Xây dựng và tham mưu UBND xã triển khai các mô hình khuyến nông-lâm-ngư và tập huấn, chuyển "
            "giao kỹ thuật và thực hiện tốt các chính sách hỗ trợ phát triển sản xuất cho các hộ nghèo, hộ "
            "cận nghèo. Đồng thời hướng dẫn triển khai thực hiện có hiệu quả các chương trình, mô hình hỗ "
            "trợ phát triển sản xuất năm 2023.",
            "Hướng dẫn các thôn làng xây dựng kế hoạch hỗ trợ hộ nghèo, cận nghèo tiếp cận các dịch vụ xã "
            "hội cơ bản về nước sạch và triển khai thực hiện có hiệu quả các chính sách liên quan đến ngành "
            "quản lý.",
            "Tham mưu UBND xã xây dựng kế hoạch hỗ trợ hộ nghèo, hộ cận nghèo tiếp cận các dịch vụ xã hội "
            "cơ bản về vệ sinh môi trường. Thực hiện có hiệu quả chính sách hỗ trợ xây dựng công trình nhà "
            "tiêu hợp vệ sinh cho đồng bào dân tộc thiểu số, hộ nghèo, hộ cận nghèo.",
        ],
    },
    {
        "code": "van-hoa",
        "name": "Văn hoá và Thông tin",
        "heading": "Công chức Văn hoá và Thông tin",
        "projects": ["DA1", "DA6"],
        "tasks": [
            "Tham mưu UBND xã thực hiện tiều Dự án 1, Dự án 6.",
            "Tham mưu UBND xã xây dựng các thiết chế văn hoá-thể thao cơ sở đạt chuẩn, tạo điều kiện để "
            "người dân tham gia hoạt động và hưởng thụ văn hoá; bảo tồn và phát triển văn hoá các dân tộc "
            "thiểu số; Từng bước phát triển đa dạng các sản phẩm du lịch gắn với phát huy tiềm năng, lợi "
            "thế; từng bước hình thành và phát triển các tua du lịch kết nối giữa các vùng miền, nhằm thu "
            "hút du khách trong và ngoài nước, góp phần tiêu thụ các sản phẩm nông nghiệp, tiểu thủ công "
            "nghiệp, tạo việc làm, thu nhập cho người nghèo.",
            "Xây dựng và tổ chức thực hiện kế hoạch tuyên truyền về chủ trương, chính sách của Đảng, Nhà "
            "nước về công tác giảm nghèo, kinh nghiệm và những mô hình giảm nghèo thành công, khích lệ các "
            "hộ vươn lên thoát nghèo.",
        ],
    },
    {
        "code": "tram-y-te",
        "name": "Trạm y tế xã",
        "heading": "Trạm y tế xã",
        "projects": ["DA3.TDA2"],
        "tasks": [
            "Trạm y tế xã: phối hợp với trung tâm y tế huyện và các phòng ban thực hiện Tiểu dự án 2 thuộc "
            "Dự án 3 (Cải thiện dinh dưỡng).",
            "Nâng cao chất lượng chăm sóc sức khoẻ cộng đồng, nâng cao chất lượng dinh dưỡng, chú trọng "
            "công tác phòng bệnh, chữa bệnh từ cơ sở, nhất là bệnh sốt xuất huyết, bệnh Covid-19; nâng cao "
            "chất lượng, hiệu quả khám chữa bệnh, quan tâm người nghèo, cận nghèo và đối tượng khác được "
            "tiếp cận dịch vụ y tế thông qua thẻ bảo hiểm y tế.",
            "Thực hiện hiệu quả chính sách hỗ trợ phụ nữ thuộc hộ nghèo là người dân tộc thiểu số khi sinh "
            "con đúng chính sách dân số; báo cáo kết quả thực hiện về UBND xã.",
        ],
    },
    {
        "code": "tai-chinh",
        "name": "Tài chính - Kế toán",
        "heading": "Công chức Tài chính - Kế toán",
        "projects": [],
        "tasks": [
            "Tham mưu UBND xã và các ngành quản lý, sử dụng và thanh quyết toán đúng quy định các nguồn kinh "
            "phí thực hiện công tác giảm nghèo bền vững.",
        ],
    },
    {
        "code": "truong-hoc",
        "name": "Các trường học trên địa bàn xã",
        "heading": "Các trường học trên địa bàn xã",
        "projects": [],
        "tasks": [
            "Thực hiện có hiệu quả chính sách miễn, giảm học phí, hỗ trợ chi phí học tập đối với học sinh, "
            "sinh viên thuộc hộ nghèo, hộ cận nghèo ở các cấp học, bậc học; chính sách hỗ trợ cho học sinh "
            "bán trú ở vùng có điều kiện kinh tế xã hội đặc biệt khó khăn; các chính sách hỗ trợ khác theo "
            "quy định đối với học sinh, sinh viên thuộc hộ nghèo vùng đồng bào dân tộc thiểu số; ưu tiên "
            "đầu tư cơ sở trường, lớp học ở các xã đặc biệt khó khăn, địa bàn có tỷ lệ hộ nghèo cao. Báo "
            "cáo Kết quả thực hiện chính sách hỗ trợ giáo dục trên địa bàn xã về UBND xã và UBND huyện.",
        ],
    },
    {
        "code": "dia-chinh",
        "name": "Địa chính – Xây dựng",
        "heading": "Công chức Địa chính – Xây dựng",
        "projects": [],
        "tasks": [
            "Đề xuất giải pháp hỗ trợ xây dựng nhà ở đối với hộ nghèo theo quy định; tham mưu, đề xuất chính "
            "sách hỗ trợ nhà ở cho người có công cách mạng, gia đình liệt sĩ.",
            "Tham mưu việc vận động các doanh nghiệp, các tổ chức hội, đoàn thể và các đơn vị lực lượng vũ "
            "trang đứng chân trên địa bàn xã hỗ trợ nguồn lực cải thiện nhà ở cho hộ nghèo, hộ cận nghèo ở "
            "vùng đồng bào dân tộc thiểu số.",
        ],
    },
    {
        "code": "tu-phap",
        "name": "Tư pháp - Hộ tịch",
        "heading": "Công chức Tư pháp -HT",
        "projects": [],
        "tasks": [
            "Triển khai thực hiện tuyên truyền, phổ biến, giáo dục pháp luật cho người dân, nhất là đối "
            "tượng hộ nghèo, hộ cận nghèo và đồng bào dân tộc thiểu số cư trú vùng có điều kiện kinh tế-xã "
            "hội đặc biệt khó khăn theo Luật trợ giúp pháp lý; tổ chức các hoạt động tuyên truyền về trợ "
            "giúp pháp lý được hiệu quả.",
        ],
    },
    {
        "code": "hoi-uy-thac",
        "name": "Các hội ủy thác",
        "heading": "Các hội ủy thác",
        "projects": [],
        "tasks": [
            "Phối hợp, bảo đảm đủ nguồn vốn cho hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo và các đối tượng "
            "cho vay của các chương trình vay vốn tín dụng ưu đãi cho hộ nghèo, cận nghèo và nhất là vốn "
            "sản xuất kinh doanh và giải quyết việc làm.",
            "Phối hợp quản lý, sử dụng tốt nguồn vốn vay ưu đãi có hiệu quả, góp phần giúp các hộ thoát "
            "nghèo, tạo việc làm mang tính điển hình, cần tuyên truyền, phổ biến và nhân rộng.",
        ],
    },
    {
        "code": "mttq",
        "name": "Ủy ban MTTQ Việt Nam và các Hội, Đoàn thể xã",
        "heading": "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam và các Hội, Đoàn thể xã",
        "projects": [],
        "tasks": [
            "Phát huy vai trò của Uỷ ban Mặt trận tổ quốc Việt Nam và các tổ chức thành viên trong công tác "
            "tuyên truyền, vận động đoàn viên, hội viên và các tầng lớp nhân dân về chủ trương, đường lối "
            "của Đảng và chính sách pháp luật của Nhà nước đối với công tác giảm nghèo bền vững, tích cực "
            "tham gia thực hiện chương trình mục tiêu quốc gia giảm nghèo bền vững của huyện; phát động các "
            "phong trào thi đua để giúp đỡ hộ nghèo làm nhà ở, phát triển sản xuất; lồng ghép đẩy mạnh "
            "thực hiện các phong trào, các cuộc vận động của Mặt trận tổ quốc và các tổ chức thành viên "
            "phát động, nhất là cuộc vận động, chương trình phối hợp thực hiện giảm nghèo bền vững, xây "
            "dựng nông thôn mới, đô thị văn minh và cuộc vận động “Làm thay đổi nếp nghĩ, cách làm trong "
            "đồng bào dân tộc thiểu số, để từng bước vươn lên thoát nghèo bền vững”. “Toàn dân đoàn kết "
            "xây dựng nông thôn mới, đô thị văn minh”; cuộc vận động ủng hộ “Quỹ vì người nghèo”, kêu gọi "
            "các tổ chức cá nhân ủng hộ giúp đỡ hộ nghèo.",
            "Vận động các tổ chức, cá nhân tham gia hỗ trợ các nguồn lực giúp hộ nghèo, hộ cận nghèo vươn "
            "lên thoát nghèo bền vững theo kế hoạch giảm nghèo của huyện.",
            "Xây dựng kế hoạch và tổ chức thực hiện việc giám sát, phản biện xã hội trong thực hiện các "
            "chính sách giảm nghèo bền vững tại xã.",
        ],
    },
    {
        "code": "thon-lang",
        "name": "Các thôn, làng",
        "heading": "Các thôn, làng",
        "projects": [],
        "tasks": [
            "Căn cứ Kế hoạch thực hiện chương trình mục tiêu quốc gia giảm nghèo bền vững và chỉ tiêu giảm "
            "nghèo năm 2023 của xã, tổ chức tuyên truyền về nội dung kế hoạch giảm nghèo cho người dân tại "
            "thôn, làng mình đồng thời họp xét mời các đ/c phụ trách hộ cùng dự họp, vận động các hộ nghèo "
            "đăng ký thoát nghèo năm 2023 đảm bảo.",
        ],
    },
]

# ---------------------------------------------------------------------------------------------
# Demo accounts (all persons INVENTED). The admin is a superuser; the others get a role group.
# ---------------------------------------------------------------------------------------------
ADMIN = {"username": "admin", "full_name": "Quản trị hệ thống", "position": "Quản trị hệ thống"}
COMMUNE_OFFICER = {
    "username": "ldtbxh",
    "full_name": "Nguyễn Thị Thanh Hương",
    "position": "Công chức Lao động - Thương binh và Xã hội",
    "department": "ldtbxh",
    "phone": "0914 235 118",
}
UPPER_OFFICE = {
    "username": "huyen",
    "full_name": "Lê Thị Minh Trang",
    "position": "Chuyên viên Phòng Lao động - TB&XH huyện Kbang",
    "phone": "0269 3834 112",
}
# canbo01 … canbo17. `households` is how many registered households each is in charge of (51 in
# all); `village`, when set, is where that official's households are taken from first.
OFFICIALS = [
    {
        "full_name": "Nguyễn Văn Hùng",
        "position": "Công chức Nông nghiệp và Môi trường",
        "department": "nong-nghiep",
        "households": 5,
        "village": "Mơhra-Đáp",
    },
    {
        "full_name": "Đinh Thị Hlen",
        "position": "Công chức Văn hoá và Thông tin",
        "department": "van-hoa",
        "households": 4,
        "village": "Bờ-Chư pâu",
    },
    {
        "full_name": "Trần Thị Mỹ Linh",
        "position": "Công chức Tài chính - Kế toán",
        "department": "tai-chinh",
        "households": 3,
    },
    {
        "full_name": "Lê Văn Thành",
        "position": "Công chức Địa chính – Xây dựng",
        "department": "dia-chinh",
        "households": 3,
    },
    {
        "full_name": "Đinh Văn Klơ",
        "position": "Công chức Tư pháp - Hộ tịch",
        "department": "tu-phap",
        "households": 3,
    },
    {
        "full_name": "Phạm Thị Thu Hà",
        "position": "Trưởng Trạm y tế xã",
        "department": "tram-y-te",
        "households": 3,
    },
    {
        "full_name": "Đinh Thị Yă",
        "position": "Y sĩ Trạm y tế xã",
        "department": "tram-y-te",
        "households": 3,
    },
    {
        "full_name": "Võ Văn Tâm",
        "position": "Hiệu trưởng Trường Tiểu học xã",
        "department": "truong-hoc",
        "households": 3,
    },
    {
        "full_name": "Huỳnh Thị Kim Oanh",
        "position": "Giáo viên Trường Mầm non xã",
        "department": "truong-hoc",
        "households": 3,
    },
    {
        "full_name": "Đinh Văn Tơih",
        "position": "Chủ tịch Hội Nông dân xã",
        "department": "hoi-uy-thac",
        "households": 3,
    },
    {
        "full_name": "Đinh Thị Nhung",
        "position": "Chủ tịch Hội Liên hiệp Phụ nữ xã",
        "department": "hoi-uy-thac",
        "households": 3,
    },
    {
        "full_name": "Nguyễn Văn Lâm",
        "position": "Chủ tịch Hội Cựu chiến binh xã",
        "department": "hoi-uy-thac",
        "households": 3,
    },
    {
        "full_name": "Đinh Văn Blơi",
        "position": "Chủ tịch Ủy ban MTTQ Việt Nam xã",
        "department": "mttq",
        "households": 3,
    },
    {
        "full_name": "Đinh Văn Pơn",
        "position": "Bí thư Đoàn Thanh niên xã",
        "department": "mttq",
        "households": 3,
    },
    {
        "full_name": "Trần Văn Quang",
        "position": "Phó Chủ tịch Ủy ban MTTQ Việt Nam xã",
        "department": "mttq",
        "households": 2,
    },
    {
        "full_name": "Đinh Văn Ngơr",
        "position": "Trưởng làng Mơ Tôn",
        "department": "thon-lang",
        "households": 2,
        "village": "Mơ Tôn",
    },
    {
        "full_name": "Đinh Văn Hmun",
        "position": "Trưởng làng Mơhven-Ôr",
        "department": "thon-lang",
        "households": 2,
        "village": "Mơhven-Ôr",
    },
]

# ---------------------------------------------------------------------------------------------
# Name pools (synthetic). Bahnar people of Kbang mostly write the family name Đinh.
# ---------------------------------------------------------------------------------------------
BAHNAR_MALE = [
    "Hmar", "Blơi", "Hyưk", "Pơn", "Blang", "Klơ", "Djơng", "Bler", "Tơih", "Ngơr", "Hmun", "Bơk",
    "Hrin", "Phiu", "Krơng", "Thưn", "Nhiu", "Jun", "Hlôm", "Bưt", "Drưh", "Chuang", "Kuin", "Pyin",
    "Kơch", "Hrach", "Byưk", "Ber", "Tar", "Hnem", "Đing", "Bloh", "Yưh", "Thơng", "Ngưk", "Hliêu",
]  # fmt: skip
BAHNAR_FEMALE = [
    "H'Bia", "Nhung", "Yă", "Blih", "Hlen", "Mưih", "Bưm", "Pyă", "Nghen", "Hlin", "Jâm", "Hnher",
    "Hlăm", "Plơm", "H'Nhi", "Ngoăn", "Chai", "Thiêu", "Krih", "Hmê", "Blui", "Prin", "Nhơ", "Jăn",
    "Bâng", "Yên", "Hrưng", "Dít", "Bơn", "Hyên",
]  # fmt: skip
GIA_RAI_FAMILY = ["Rơ Châm", "Ksor", "Siu", "Rơ Mah", "Kpă", "Nay", "Rah Lan", "Puih"]
GIA_RAI_MALE = ["Tuih", "Thơn", "Jơn", "Dơk", "Kheo", "Nhiêm", "Hyoh", "Yơn", "Blik", "Phơ"]
GIA_RAI_FEMALE = ["H'Lan", "H'Nhi", "H'Blơ", "H'Luyn", "H'Dơk", "H'Hlin", "H'Yuin", "H'Mlơi"]
KINH_FAMILY = [
    ("Nguyễn", 30), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Võ", 6), ("Huỳnh", 5), ("Hoàng", 4),
    ("Phan", 4), ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 2), ("Ngô", 2), ("Dương", 2), ("Lý", 1),
]  # fmt: skip
KINH_MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Hữu", "Quốc", "Thanh", "Công", "Ngọc", "Xuân"]
KINH_MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Hồng"]
KINH_MALE = [
    "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Sơn", "Thắng", "Long", "Phúc", "Tâm", "Trung",
    "Hòa", "Quang", "Bình", "Cường", "Đức", "Hiếu", "Khánh", "Lộc", "Tài", "Thành", "Toàn", "Vinh",
    "Huy", "Kiên", "Tín", "Nhân", "Sang", "Tú", "Đạt", "Lực",
]  # fmt: skip
KINH_FEMALE = [
    "Lan", "Hương", "Hoa", "Mai", "Hạnh", "Hằng", "Thảo", "Trang", "Nga", "Phương", "Linh", "Ngọc",
    "Yến", "Nhung", "Dung", "Hà", "Thu", "Oanh", "Vân", "Loan", "Liên", "Tuyết", "Hiền", "Thủy",
    "Nhi", "Vy", "My", "Hồng", "Xuân", "Diễm",
]  # fmt: skip
# Northern minorities who settled in the Kinh hamlets; they write Kinh-style names.
OTHER_FAMILY = {"Tày": ["Hoàng", "Nông", "Lục", "Ma"], "Mường": ["Bùi", "Quách", "Hà", "Đinh Công"]}

# ---------------------------------------------------------------------------------------------
# Exit registrations: what a household asks for, what it commits to, and the support actions an
# official typically logs for it (kind, description, quantity, unit, value in VND, contributor).
# Labour days are valued at 200,000 VND. `farming` picks the follow-up materials (FOLLOW_UPS).
# ---------------------------------------------------------------------------------------------
EXIT_PLANS = [
    {
        "weight": 30,
        "farming": "livestock",
        "needs": "Hỗ trợ 01 con bò cái sinh sản và vật liệu làm chuồng",
        "commitment": "Đăng ký nuôi 01 con bò sinh sản; gia đình tự làm chuồng, trồng cỏ và chăm sóc bò "
        "đúng kỹ thuật",
        "actions": [
            ("knowledge", "Hướng dẫn chọn bò giống, làm chuồng và trồng cỏ cho bò", None, "", 0, "official"),
            ("labour", "Cùng gia đình dựng chuồng bò", 2, "ngày công", 400_000, "official"),
            (
                "materials",
                "Mua 01 con bò cái sinh sản (góp cùng gia đình)",
                1,
                "con",
                14_000_000,
                "programme",
            ),
            ("materials", "Anh em, họ hàng góp 10 tấm tôn lợp chuồng bò", 10, "tấm", 1_500_000, "relatives"),
        ],
    },
    {
        "weight": 15,
        "farming": "livestock",
        "needs": "Hỗ trợ 02 con heo giống và thức ăn chăn nuôi",
        "commitment": "Đăng ký nuôi 02 con heo thịt, làm chuồng hợp vệ sinh, không thả rông",
        "actions": [
            ("knowledge", "Hướng dẫn kỹ thuật chăm sóc, tiêm phòng cho heo", None, "", 0, "official"),
            ("materials", "Hỗ trợ 02 con heo giống", 2, "con", 3_000_000, "official"),
            ("labour", "Giúp gia đình sửa chuồng heo", 1, "ngày công", 200_000, "official"),
            ("materials", "Hỗ trợ 100 kg cám chăn nuôi", 100, "kg", 1_200_000, "organisation"),
        ],
    },
    {
        "weight": 10,
        "farming": "livestock",
        "needs": "Hỗ trợ 03 con dê giống",
        "commitment": "Đăng ký nuôi 03 con dê sinh sản, nuôi nhốt chuồng sàn",
        "actions": [
            ("knowledge", "Hướng dẫn kỹ thuật nuôi dê nhốt chuồng", None, "", 0, "official"),
            ("labour", "Cùng gia đình làm chuồng dê sàn", 2, "ngày công", 400_000, "official"),
            ("materials", "Hỗ trợ 03 con dê giống", 3, "con", 7_500_000, "programme"),
        ],
    },
    {
        "weight": 10,
        "farming": "livestock",
        "needs": "Hỗ trợ 20 con gà giống và lưới làm chuồng",
        "commitment": "Đăng ký nuôi 20 con gà thả vườn có rào lưới, tiêm phòng đầy đủ",
        "actions": [
            ("knowledge", "Hướng dẫn tiêm phòng và chăm sóc gà thả vườn", None, "", 0, "official"),
            ("materials", "Hỗ trợ 20 con gà giống", 20, "con", 1_000_000, "official"),
            ("materials", "Anh em, họ hàng góp 50 m lưới rào vườn gà", 50, "m", 750_000, "relatives"),
        ],
    },
    {
        "weight": 10,
        "farming": "crops",
        "needs": "Hỗ trợ giống lúa nước và phân bón cho 0,3 ha ruộng",
        "commitment": "Đăng ký cấy 0,3 ha lúa nước hai vụ, bón phân đúng kỹ thuật",
        "actions": [
            ("knowledge", "Hướng dẫn kỹ thuật gieo cấy và bón phân lúa nước", None, "", 0, "official"),
            ("materials", "Hỗ trợ 30 kg giống lúa", 30, "kg", 600_000, "programme"),
            ("labour", "Giúp gia đình gặt lúa vụ mùa", 2, "ngày công", 400_000, "official"),
            ("materials", "Hỗ trợ 100 kg phân NPK", 100, "kg", 1_300_000, "organisation"),
        ],
    },
    {
        "weight": 8,
        "farming": "crops",
        "needs": "Hỗ trợ giống bắp lai và phân bón",
        "commitment": "Đăng ký trồng 0,5 ha bắp lai vụ mùa trên đất rẫy của gia đình",
        "actions": [
            ("knowledge", "Hướng dẫn kỹ thuật trồng và chăm sóc bắp lai", None, "", 0, "official"),
            ("materials", "Hỗ trợ 10 kg giống bắp lai", 10, "kg", 1_400_000, "programme"),
            ("labour", "Giúp gia đình làm cỏ, bón phân rẫy bắp", 2, "ngày công", 400_000, "official"),
        ],
    },
    {
        "weight": 7,
        "farming": "crops",
        "needs": "Hỗ trợ cây cà phê giống để trồng dặm",
        "commitment": "Đăng ký trồng dặm 300 cây cà phê, chăm sóc vườn cà phê đúng kỹ thuật",
        "actions": [
            ("knowledge", "Hướng dẫn kỹ thuật cắt cành, bón phân cho cà phê", None, "", 0, "official"),
            ("materials", "Hỗ trợ 300 cây cà phê giống", 300, "cây", 1_500_000, "organisation"),
            ("labour", "Cùng gia đình trồng dặm cà phê", 2, "ngày công", 400_000, "official"),
        ],
    },
    {
        "weight": 5,
        "farming": "crops",
        "needs": "Vay vốn ưu đãi để mở rộng diện tích mì",
        "commitment": "Đăng ký trồng 01 ha mì (sắn) và sử dụng vốn vay hộ nghèo đúng mục đích",
        "actions": [
            ("knowledge", "Hướng dẫn lập hồ sơ vay vốn Ngân hàng Chính sách xã hội", None, "", 0, "official"),
            ("materials", "Hỗ trợ 50 kg phân bón cho rẫy mì", 50, "kg", 650_000, "official"),
            ("labour", "Giúp gia đình thu hoạch mì", 3, "ngày công", 600_000, "official"),
        ],
    },
    {
        "weight": 5,
        "farming": "work",
        "needs": "Giới thiệu việc làm cho lao động trẻ trong gia đình",
        "commitment": "Đăng ký cho 01 lao động đi làm công nhân tại khu công nghiệp, gửi tiền về phụ giúp "
        "gia đình",
        "actions": [
            ("knowledge", "Tư vấn, giới thiệu việc làm tại khu công nghiệp", None, "", 0, "official"),
            ("knowledge", "Hướng dẫn đăng ký học nghề ngắn hạn", 1, "buổi", 0, "official"),
            ("materials", "Hỗ trợ tiền xe đi nhận việc", 1, "lượt", 500_000, "organisation"),
        ],
    },
]

# ---------------------------------------------------------------------------------------------
# The rest of 2023 (INVENTED): the officials' follow-up support through the year and the
# end-of-2023 periodic review of the 51 registered households.
# ---------------------------------------------------------------------------------------------
LABOUR_DAY_VND = 200_000

# Follow-up support, logged from March to November on top of the first visits above; each
# household gets all three kinds. (description, quantity, unit, value in VND, contributor); a
# labour action's value is LABOUR_DAY_VND per day.
FOLLOW_UPS = {
    "knowledge": [
        ("Thăm hộ, động viên gia đình thực hiện cam kết thoát nghèo", None, "", 0, "official"),
        ("Hướng dẫn gia đình ghi chép thu chi, để dành tiền bán sản phẩm", None, "", 0, "official"),
        (
            "Tuyên truyền, hướng dẫn làm nhà tiêu hợp vệ sinh và giữ sạch nguồn nước",
            None,
            "",
            0,
            "official",
        ),
        ("Hướng dẫn gia đình đăng ký tham gia tổ vay vốn của hội", None, "", 0, "official"),
        ("Mời gia đình dự lớp tập huấn khuyến nông tại nhà văn hóa làng", 1, "buổi", 0, "organisation"),
    ],
    "labour": [
        ("Cùng gia đình làm cỏ, chăm sóc rẫy", 1, "ngày công", None, "official"),
        ("Giúp gia đình sửa nhà trước mùa mưa", 2, "ngày công", None, "official"),
        ("Cùng gia đình đào hố, làm nhà tiêu hợp vệ sinh", 2, "ngày công", None, "official"),
        ("Giúp gia đình thu hoạch và phơi nông sản", 1, "ngày công", None, "official"),
    ],
    "materials": {
        "livestock": [
            ("Hỗ trợ vắc-xin, thuốc thú y cho vật nuôi", 5, "liều", 250_000, "official"),
            ("Hỗ trợ 200 kg cám chăn nuôi", 200, "kg", 2_400_000, "organisation"),
            ("Anh em, họ hàng góp hom cỏ giống trồng làm thức ăn", 300, "hom", 300_000, "relatives"),
        ],
        "crops": [
            ("Hỗ trợ 50 kg phân bón NPK", 50, "kg", 650_000, "organisation"),
            ("Hỗ trợ thuốc bảo vệ thực vật sinh học", 2, "chai", 360_000, "official"),
            ("Hỗ trợ 30 kg giống đậu xanh trồng xen", 30, "kg", 900_000, "programme"),
        ],
        "work": [
            ("Hỗ trợ 01 bộ quần áo bảo hộ lao động", 1, "bộ", 350_000, "organisation"),
            ("Hỗ trợ học phí khóa học nghề ngắn hạn", 1, "khóa", 1_500_000, "programme"),
        ],
        "all": [
            ("Hỗ trợ 10 bao xi măng làm nhà tiêu hợp vệ sinh", 10, "bao", 900_000, "programme"),
            ("Hỗ trợ 01 bồn chứa nước 500 lít", 1, "cái", 1_800_000, "organisation"),
            ("Anh em, họ hàng góp 05 tấm tôn sửa mái nhà", 5, "tấm", 750_000, "relatives"),
        ],
    },
}
# The visit most officials make while the village reviews the households at the end of the year.
YEAR_END_VISIT = ("Thăm hộ cuối năm, cùng thôn rà soát kết quả thực hiện cam kết", None, "", 0, "official")
YEAR_END_VISIT_SHARE = 0.8
# Every description the follow-ups may use.
FOLLOW_UP_DESCRIPTIONS = (
    {item[0] for item in FOLLOW_UPS["knowledge"] + FOLLOW_UPS["labour"]}
    | {item[0] for group in FOLLOW_UPS["materials"].values() for item in group}
    | {YEAR_END_VISIT[0]}
)

# The end-of-2023 periodic review of the registered households (1 November – 14 December).
YEAR_END_REVIEW_YEAR = 2023
NOT_EXITED = 13  # of the 51: the other 38 exit poverty

# Why a household did not exit, for ExitRegistration.status_note. `count`: how many of the 13 it
# explains (13 in all); `needs`: a 2022 deprivation the reason requires; `farming`: the kinds of
# exit plan it fits; `income`: the change of income per person per month, a (low, high) range in
# VND (negative: it fell). A household no reason fits gets one without conditions.
NOT_EXITED_REASONS = [
    {
        "code": "illness",
        "note": "Chủ hộ ốm đau kéo dài, phải điều trị nhiều lần tại bệnh viện huyện; gia đình thiếu lao "
        "động chính, thu nhập chưa vượt chuẩn nghèo",
        "count": 3,
        "income": (-150_000, 0),
    },
    {
        "code": "drought",
        "note": "Hạn hán đầu vụ làm mất mùa lúa, bắp; thu nhập bình quân chưa vượt chuẩn nghèo",
        "count": 2,
        "farming": ("crops", "work"),
        "income": (-120_000, 40_000),
    },
    {
        "code": "livestock",
        "note": "Vật nuôi được hỗ trợ bị bệnh chết (dịch tả heo châu Phi, viêm da nổi cục), gia đình "
        "mất nguồn thu chính",
        "count": 2,
        "farming": ("livestock",),
        "income": (-100_000, 30_000),
    },
    {
        "code": "dependants",
        "note": "Gia đình đông con nhỏ, ít người trong độ tuổi lao động; thu nhập bình quân đầu người "
        "còn thấp",
        "count": 2,
        "needs": "dependants",
        "income": (0, 120_000),
    },
    {
        "code": "land",
        "note": "Mất một phần đất sản xuất do sạt lở ven suối sau mưa lũ; thiếu đất canh tác",
        "count": 2,
        "income": (-150_000, 0),
    },
    {
        "code": "crop_prices",
        "note": "Mì, cà phê mất giá, sâu bệnh nhiều; thu nhập không tăng so với năm trước",
        "count": 1,
        "farming": ("crops",),
        "income": (-50_000, 60_000),
    },
    {
        "code": "no_work",
        "note": "Lao động chính đi làm thuê xa nhà không ổn định, không gửi được tiền về giúp gia đình",
        "count": 1,
        "income": (-60_000, 60_000),
    },
]
# Deprivations a year of support can end, and how the note says it (the others, tied to the
# members' jobs, schooling and health cards, stay as the 2022 review found them).
RESOLVABLE = {
    "latrine": "đã làm nhà tiêu hợp vệ sinh",
    "water_source": "đã có nguồn nước sinh hoạt hợp vệ sinh",
    "housing_quality": "đã sửa chữa nhà ở",
    "housing_area": "đã làm thêm gian nhà",
    "telecom": "đã dùng điện thoại di động",
    "information_access": "đã có điện thoại thông minh",
    "nutrition": "trẻ đã hết suy dinh dưỡng",
}
