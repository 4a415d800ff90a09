"""Citizens' opinions written the way they arrive: Vietnamese sentences built from templates and
vocabulary, each opinion about one planted theme, some sent again in other words or by another
person (near-duplicates), some typed without accents or with the old tone placement.

Used by the demo (the opinions of the voter meetings), by the synthesis tests (which check that
the grouping finds the planted themes) and by ``bench/petitions.py`` (a million of them). The
theme of each opinion and the original of each near-duplicate are returned beside the text so
that a grouping can be scored against them.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from doanket.core.text import fold


@dataclass(frozen=True)
class Theme:
    topic: str
    subjects: tuple[str, ...]
    problems: tuple[str, ...]
    requests: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        "Giao thông, hạ tầng",
        (
            "Đường liên thôn xuống cấp",
            "Tuyến đường vào thôn hư hỏng nặng",
            "Đề nghị sửa chữa đường giao thông nông thôn",
        ),
        (
            "Tuyến đường liên thôn {thon} xuống cấp nghiêm trọng, mặt đường nhiều ổ gà, ổ voi",
            "Đường bê tông từ {thon} ra trung tâm xã bị bong tróc, trời mưa lầy lội, xe cộ đi lại rất khó khăn",
            "Đoạn đường qua {thon} dài khoảng {so} mét đã hư hỏng nhiều năm chưa được sửa chữa",
            "Mặt đường giao thông nông thôn ở {thon} lún sụt, xe chở nông sản không vào được",
        ),
        (
            "Đề nghị các cấp sớm bố trí kinh phí sửa chữa, nâng cấp tuyến đường",
            "Kiến nghị xã đưa tuyến đường vào kế hoạch đầu tư, cứng hóa mặt đường",
            "Mong chính quyền quan tâm sửa chữa đường để Nhân dân đi lại thuận tiện",
        ),
    ),
    Theme(
        "Môi trường",
        ("Sạt lở đất đe dọa nhà dân", "Nguy cơ sạt lở sau mưa lũ", "Di dời hộ dân vùng sạt lở"),
        (
            "Sau đợt mưa lớn, taluy dương phía sau nhà dân ở {thon} bị sạt lở, nứt toác",
            "Khu dân cư {thon} có {so} hộ nằm trong vùng nguy cơ sạt lở đất, lũ quét",
            "Mỗi khi mưa lũ, đất đá trên đồi lại sạt xuống, các hộ dân phải đi sơ tán",
        ),
        (
            "Đề nghị khẩn trương bố trí đất tái định cư, di dời các hộ dân ra khỏi vùng nguy hiểm",
            "Kiến nghị hỗ trợ kinh phí di dời và xây kè chống sạt lở",
            "Mong tỉnh sớm có phương án tái định cư cho các hộ trong vùng sạt lở",
        ),
    ),
    Theme(
        "Đất đai, nhà ở",
        ("Bồi thường giải phóng mặt bằng chưa thỏa đáng", "Giá đền bù đất thấp", "Chậm chi trả tiền bồi thường"),
        (
            "Dự án {du_an} thu hồi đất của các hộ dân {thon} nhưng giá bồi thường thấp hơn giá thị trường",
            "Đã bàn giao mặt bằng cho dự án {du_an} hơn {so} tháng mà chưa nhận được tiền đền bù",
            "Việc áp giá bồi thường, hỗ trợ khi thu hồi đất cho dự án {du_an} chưa công khai, minh bạch",
        ),
        (
            "Đề nghị xem xét lại đơn giá bồi thường cho phù hợp thực tế",
            "Kiến nghị chủ đầu tư sớm chi trả tiền bồi thường, hỗ trợ cho người dân",
            "Đề nghị công khai phương án bồi thường, giải phóng mặt bằng",
        ),
    ),
    Theme(
        "Đất đai, nhà ở",
        ("Chậm cấp giấy chứng nhận quyền sử dụng đất", "Thủ tục cấp sổ đỏ kéo dài", "Cấp đổi sổ đỏ chậm"),
        (
            "Gia đình nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất từ năm {nam} đến nay chưa được giải quyết",
            "Nhiều hộ ở {thon} sử dụng đất ổn định lâu năm nhưng chưa được cấp sổ đỏ",
            "Hồ sơ cấp đổi giấy chứng nhận quyền sử dụng đất bị trả lại nhiều lần, phải bổ sung giấy tờ",
        ),
        (
            "Đề nghị cơ quan đăng ký đất đai rút ngắn thời gian cấp giấy chứng nhận",
            "Kiến nghị hướng dẫn rõ thủ tục để người dân sớm được cấp sổ đỏ",
            "Mong được cấp giấy chứng nhận để yên tâm sản xuất",
        ),
    ),
    Theme(
        "An sinh xã hội, chính sách người có công",
        ("Chậm chi trả trợ cấp xã hội", "Trợ cấp người cao tuổi chưa nhận", "Chế độ bảo trợ xã hội"),
        (
            "Người cao tuổi trên 75 tuổi ở {thon} đã làm hồ sơ nhưng {so} tháng nay chưa nhận được trợ cấp xã hội",
            "Việc chi trả trợ cấp bảo trợ xã hội qua tài khoản ngân hàng gây khó khăn cho người già",
            "Một số đối tượng bảo trợ xã hội bị cắt trợ cấp mà không được thông báo lý do",
        ),
        (
            "Đề nghị chi trả trợ cấp đúng hạn và đủ cho các đối tượng",
            "Kiến nghị cho phép người cao tuổi nhận trợ cấp bằng tiền mặt tại thôn",
            "Đề nghị rà soát, giải quyết chế độ bảo trợ xã hội kịp thời",
        ),
    ),
    Theme(
        "An sinh xã hội, chính sách người có công",
        ("Bình xét hộ nghèo chưa đúng", "Danh sách hộ nghèo, cận nghèo chưa chính xác", "Rà soát hộ nghèo"),
        (
            "Việc bình xét hộ nghèo, hộ cận nghèo ở {thon} năm {nam} chưa công bằng, có hộ khá giả vẫn trong danh sách",
            "Một số hộ thực sự khó khăn lại không được đưa vào danh sách hộ nghèo",
            "Chuẩn nghèo đa chiều mới khiến nhiều hộ thoát nghèo trên giấy nhưng đời sống vẫn khó khăn",
        ),
        (
            "Đề nghị rà soát lại danh sách hộ nghèo, cận nghèo công khai, đúng đối tượng",
            "Kiến nghị niêm yết công khai kết quả bình xét hộ nghèo tại nhà văn hóa thôn",
            "Mong các cấp tiếp tục hỗ trợ hộ mới thoát nghèo để không tái nghèo",
        ),
    ),
    Theme(
        "Y tế",
        ("Thiếu thuốc bảo hiểm y tế", "Khám chữa bệnh bảo hiểm y tế còn phiền hà", "Trạm y tế thiếu thuốc"),
        (
            "Khi đi khám chữa bệnh bằng thẻ bảo hiểm y tế, người dân phải tự mua thuốc bên ngoài vì thiếu thuốc",
            "Trạm y tế xã thiếu thuốc, thiếu trang thiết bị, người bệnh phải lên tuyến huyện",
            "Thủ tục khám bảo hiểm y tế còn rườm rà, người bệnh chờ đợi lâu",
        ),
        (
            "Đề nghị ngành y tế bảo đảm đủ thuốc trong danh mục bảo hiểm y tế",
            "Kiến nghị đầu tư trang thiết bị, bổ sung bác sĩ cho trạm y tế xã",
            "Đề nghị cải cách thủ tục khám chữa bệnh bảo hiểm y tế",
        ),
    ),
    Theme(
        "Giáo dục",
        ("Trường học xuống cấp, thiếu phòng học", "Điểm trường thiếu phòng học", "Đề nghị xây thêm phòng học"),
        (
            "Điểm trường mầm non {thon} là nhà tạm, dột nát, mùa đông rất lạnh",
            "Trường tiểu học thiếu {so} phòng học, học sinh phải học ghép lớp",
            "Nhà vệ sinh và bếp ăn bán trú của điểm trường ở {thon} đã xuống cấp",
        ),
        (
            "Đề nghị đầu tư xây dựng phòng học kiên cố cho các cháu",
            "Kiến nghị bố trí kinh phí sửa chữa trường lớp trước năm học mới",
            "Mong các nhà hảo tâm và chính quyền quan tâm xây mới điểm trường",
        ),
    ),
    Theme(
        "Giáo dục",
        ("Khoản thu đầu năm học cao", "Lạm thu trong trường học", "Các khoản đóng góp đầu năm"),
        (
            "Đầu năm học {nam}, phụ huynh phải đóng nhiều khoản thu ngoài quy định như quỹ lớp, quỹ hội",
            "Nhà trường vận động đóng góp xây dựng mà không công khai việc sử dụng",
            "Tiền học thêm, tiền sách vở, đồng phục mỗi năm một tăng, gia đình khó khăn không kham nổi",
        ),
        (
            "Đề nghị ngành giáo dục chấn chỉnh tình trạng lạm thu",
            "Kiến nghị công khai các khoản thu, chi trong nhà trường",
            "Đề nghị miễn, giảm các khoản đóng góp cho học sinh hộ nghèo",
        ),
    ),
    Theme(
        "Môi trường",
        ("Trại chăn nuôi gây ô nhiễm", "Ô nhiễm mùi hôi từ trại lợn", "Chất thải chăn nuôi xả ra suối"),
        (
            "Trại chăn nuôi lợn gần khu dân cư {thon} xả nước thải chưa qua xử lý ra suối, mùi hôi thối nồng nặc",
            "Chất thải từ trang trại chăn nuôi gây ô nhiễm nguồn nước, ruồi muỗi phát triển",
            "Người dân sống gần trại lợn phải đóng cửa cả ngày vì mùi hôi",
        ),
        (
            "Đề nghị kiểm tra, xử lý nghiêm trang trại gây ô nhiễm môi trường",
            "Kiến nghị buộc chủ trang trại đầu tư hệ thống xử lý chất thải",
            "Đề nghị di dời trại chăn nuôi ra xa khu dân cư",
        ),
    ),
    Theme(
        "Môi trường",
        ("Thiếu nước sinh hoạt", "Công trình cấp nước không hoạt động", "Nước sạch cho người dân"),
        (
            "Mùa khô, các hộ dân {thon} thiếu nước sinh hoạt trầm trọng, phải đi gánh nước xa",
            "Công trình cấp nước tập trung xây dựng từ năm {nam} nay đã hỏng, không có nước",
            "Đường ống dẫn nước tự chảy bị vỡ, bể chứa nứt, người dân dùng nước suối không hợp vệ sinh",
        ),
        (
            "Đề nghị sửa chữa công trình cấp nước sinh hoạt cho bà con",
            "Kiến nghị đầu tư hệ thống nước sạch cho các thôn vùng cao",
            "Mong được hỗ trợ bể chứa nước cho các hộ",
        ),
    ),
    Theme(
        "An ninh, trật tự",
        ("Lừa đảo qua mạng", "Lừa đảo chiếm đoạt tài sản qua điện thoại", "Cảnh giác lừa đảo trực tuyến"),
        (
            "Nhiều người dân bị kẻ gian giả danh công an gọi điện thoại, lừa chuyển tiền vào tài khoản",
            "Tình trạng lừa đảo qua mạng xã hội, tin nhắn giả mạo ngân hàng ngày càng tinh vi",
            "Có người ở {thon} bị lừa mất {so} triệu đồng qua ứng dụng đầu tư trên mạng",
        ),
        (
            "Đề nghị cơ quan công an tăng cường tuyên truyền, xử lý nghiêm các đối tượng lừa đảo",
            "Kiến nghị nhà mạng, ngân hàng kiểm soát chặt sim rác, tài khoản ảo",
            "Mong có hướng dẫn để người dân nhận biết thủ đoạn lừa đảo",
        ),
    ),
    Theme(
        "An ninh, trật tự",
        ("Trộm cắp gia súc", "Mất trộm trâu bò", "Tình hình trộm cắp tài sản"),
        (
            "Thời gian gần đây ở {thon} liên tục xảy ra trộm cắp trâu, bò, gà vịt vào ban đêm",
            "Gia súc thả rông trên nương bị mất trộm, người dân rất lo lắng",
            "Kẻ gian đột nhập nhà dân lấy trộm xe máy, tài sản có giá trị",
        ),
        (
            "Đề nghị công an xã tăng cường tuần tra, truy bắt đối tượng trộm cắp",
            "Kiến nghị lắp camera an ninh tại các ngã ba, đường vào thôn",
            "Đề nghị củng cố tổ an ninh trật tự cơ sở",
        ),
    ),
    Theme(
        "Lao động, việc làm",
        ("Giá vật tư nông nghiệp tăng cao", "Giá phân bón tăng, nông sản rớt giá", "Tiêu thụ nông sản khó khăn"),
        (
            "Giá phân bón, thức ăn chăn nuôi tăng cao trong khi giá nông sản thấp, người nông dân thua lỗ",
            "Vụ {nam} bà con trồng nhiều dứa, chuối nhưng thương lái ép giá, không bán được",
            "Giá thóc giống, thuốc bảo vệ thực vật tăng liên tục, thu nhập từ trồng trọt giảm",
        ),
        (
            "Đề nghị có chính sách bình ổn giá vật tư nông nghiệp",
            "Kiến nghị hỗ trợ kết nối tiêu thụ nông sản cho bà con",
            "Mong nhà nước hỗ trợ vốn vay ưu đãi cho sản xuất nông nghiệp",
        ),
    ),
    Theme(
        "Lao động, việc làm",
        ("Thiếu việc làm cho lao động nông thôn", "Đào tạo nghề cho thanh niên", "Việc làm sau đào tạo nghề"),
        (
            "Thanh niên {thon} học xong không có việc làm, phải đi làm thuê xa nhà",
            "Các lớp đào tạo nghề ngắn hạn chưa gắn với nhu cầu tuyển dụng, học xong không dùng được",
            "Lao động đi làm ở các khu công nghiệp bị mất việc, trở về địa phương không có thu nhập",
        ),
        (
            "Đề nghị mở các lớp dạy nghề phù hợp và giới thiệu việc làm",
            "Kiến nghị thu hút doanh nghiệp về địa phương để tạo việc làm",
            "Mong được vay vốn giải quyết việc làm để phát triển kinh tế gia đình",
        ),
    ),
    Theme(
        "Thủ tục hành chính",
        ("Dịch vụ công trực tuyến khó sử dụng", "Thủ tục hành chính trên mạng còn vướng", "Định danh điện tử"),
        (
            "Người cao tuổi không biết sử dụng dịch vụ công trực tuyến, phải nhờ người khác làm hộ",
            "Hệ thống dịch vụ công thường xuyên bị lỗi, nộp hồ sơ trực tuyến không được",
            "Việc kích hoạt tài khoản định danh điện tử ở vùng sóng yếu rất khó khăn",
        ),
        (
            "Đề nghị bố trí cán bộ hướng dẫn người dân làm thủ tục trực tuyến tại bộ phận một cửa",
            "Kiến nghị nâng cấp hệ thống dịch vụ công cho ổn định",
            "Đề nghị vẫn tiếp nhận hồ sơ giấy cho người không dùng được điện thoại thông minh",
        ),
    ),
    Theme(
        "Giao thông, hạ tầng",
        ("Sóng điện thoại yếu", "Vùng lõm sóng di động, không có internet", "Phủ sóng viễn thông cho thôn"),
        (
            "{thon} đến nay vẫn là vùng lõm sóng, điện thoại không liên lạc được, học sinh không học trực tuyến được",
            "Sóng di động chập chờn, muốn gọi điện phải ra đầu dốc",
            "Không có internet nên người dân không dùng được dịch vụ ngân hàng, dịch vụ công",
        ),
        (
            "Đề nghị các nhà mạng lắp đặt trạm phát sóng cho thôn",
            "Kiến nghị đưa thôn vào chương trình phủ sóng viễn thông công ích",
            "Mong sớm có sóng điện thoại và internet",
        ),
    ),
    Theme(
        "Giao thông, hạ tầng",
        ("Điện lưới chập chờn, giá điện cao", "Tiền điện tăng bất thường", "Lưới điện nông thôn xuống cấp"),
        (
            "Hóa đơn tiền điện tháng {thang} của nhiều hộ tăng gấp đôi so với tháng trước mà không rõ lý do",
            "Điện lưới ở {thon} thường xuyên mất, điện áp yếu, không chạy được máy bơm",
            "Cột điện hạ thế cũ, dây điện võng thấp qua khu dân cư, rất nguy hiểm",
        ),
        (
            "Đề nghị ngành điện kiểm tra, giải thích rõ việc tính tiền điện",
            "Kiến nghị cải tạo lưới điện nông thôn, nâng công suất trạm biến áp",
            "Đề nghị thay cột điện, dây dẫn bảo đảm an toàn",
        ),
    ),
    Theme(
        "Tham nhũng, tiêu cực",
        ("Công khai thu chi các khoản đóng góp", "Quỹ thôn thu chi chưa minh bạch", "Sử dụng tiền đóng góp của dân"),
        (
            "Các khoản đóng góp xây dựng nhà văn hóa {thon} thu từ năm {nam} nhưng chưa công khai quyết toán",
            "Ban quản lý thôn thu nhiều loại quỹ, người dân không biết tiền được chi vào việc gì",
            "Việc huy động đóng góp làm đường chưa được bàn bạc, thống nhất trong Nhân dân",
        ),
        (
            "Đề nghị Ban Thanh tra nhân dân kiểm tra, công khai thu chi các quỹ",
            "Kiến nghị thực hiện đúng quy chế dân chủ ở cơ sở trong việc huy động đóng góp",
            "Đề nghị niêm yết công khai thu chi tại nhà văn hóa thôn",
        ),
    ),
    Theme(
        "Lao động, việc làm",
        (
            "Phụ cấp cán bộ thôn thấp",
            "Chế độ người hoạt động không chuyên trách ở thôn",
            "Sáp nhập thôn, dôi dư cán bộ",
        ),
        (
            "Phụ cấp của người hoạt động không chuyên trách ở thôn quá thấp, không đủ trang trải cuộc sống",
            "Sau khi sáp nhập thôn, một số cán bộ thôn dôi dư chưa có chế độ hỗ trợ",
            "Trưởng thôn, bí thư chi bộ làm nhiều việc nhưng mức phụ cấp không tương xứng",
        ),
        (
            "Đề nghị nâng mức phụ cấp cho người hoạt động không chuyên trách ở thôn",
            "Kiến nghị có chính sách hỗ trợ cán bộ thôn dôi dư sau sáp nhập",
            "Đề nghị tỉnh sớm ban hành nghị quyết về chế độ cán bộ thôn",
        ),
    ),
    Theme(
        "Tôn giáo, dân tộc",
        ("Hỗ trợ đồng bào dân tộc thiểu số", "Chính sách vùng đồng bào dân tộc", "Hỗ trợ nhà ở, đất sản xuất"),
        (
            "Nhiều hộ đồng bào dân tộc thiểu số ở {thon} còn thiếu đất sản xuất, nhà ở tạm bợ",
            "Chương trình mục tiêu quốc gia vùng đồng bào dân tộc thiểu số triển khai chậm, vốn chưa đến tay dân",
            "Việc hỗ trợ giống cây, con giống cho đồng bào chưa phù hợp điều kiện canh tác",
        ),
        (
            "Đề nghị đẩy nhanh giải ngân chương trình mục tiêu quốc gia vùng đồng bào dân tộc thiểu số",
            "Kiến nghị hỗ trợ đất sản xuất, nhà ở cho hộ đồng bào khó khăn",
            "Mong được hỗ trợ giống phù hợp với thổ nhưỡng địa phương",
        ),
    ),
)

OPENERS = (
    "Cử tri {thon}, {xa} phản ánh:",
    "Nhân dân {thon} kiến nghị:",
    "Tôi là người dân {thon}.",
    "Kính gửi Ban Thường trực Ủy ban MTTQ {xa}.",
    "",
    "",
    "",
)
CLOSERS = (
    "Rất mong các cấp quan tâm giải quyết.",
    "Xin trân trọng cảm ơn.",
    "Kính mong được xem xét.",
    "",
    "",
)
DETAILS = (
    "Việc này kéo dài đã {so} tháng nay.",
    "Bà con đã nhiều lần phản ánh tại các buổi họp thôn nhưng chưa được trả lời.",
    "Nhiều hộ dân rất bức xúc.",
    "Trưởng thôn đã báo cáo lên xã từ đầu năm {nam}.",
    "Ảnh hưởng đến đời sống của khoảng {so} hộ gia đình.",
    "Đây là ý kiến chung của nhiều hộ trong thôn.",
    "Tình trạng này xảy ra nhiều năm nay.",
)
PLACES = tuple(
    f"{prefix} {name}"
    for prefix, names in (
        (
            "thôn",
            "Nậm Cằm, Cốc Ly, Tân Hồng, Khoá Bảo, Làng Mới, Phú Hải, Na Lốc, Cốc Sâm, Sơn Hải, Pha Long, "
            "An Thành, Kim Thành, Đồng Tâm, Xuân Quang, Lương Sơn, Thái Niên, Gia Phú, Phong Hải, Tả Phời, Hợp Thành",
        ),
        (
            "bản",
            "Phiệt, Lùng Vai, Hòa Lạc, Xèo, Mường Vi, Pác Ngam, Nậm Lúc, Lùng Phình, Tả Van, Sín Chải, "
            "Cát Cát, Lao Chải, Bắc Ngầm, Vài Siêu, Khe Lếch, Nậm Tha, Pa Cheo, Mường Hum, Dền Sáng, Y Tý",
        ),
    )
    for name in names.split(", ")
)
COMMUNES = ("xã Bảo Thắng", "xã Mường Khương", "xã Bắc Hà", "xã Sa Pa", "xã Văn Bàn", "phường Cam Đường")
PROJECTS = ("đường nối cao tốc", "khu tái định cư số {so}", "thủy điện Nậm Khánh", "khu công nghiệp Tằng Loỏng")

# New → old tone placement: how many still type "hoà", "khoá", "thuỷ".
_OLD_TONES = {
    "òa": "oà",
    "óa": "oá",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "òe": "oè",
    "óe": "oé",
    "ủy": "uỷ",
    "ùy": "uỳ",
}


@dataclass(frozen=True)
class Opinion:
    title: str
    content: str
    topic: str
    theme: int  # index into THEMES
    original: int | None  # the opinion this one repeats (a near-duplicate), by position


def _fill(rng: random.Random, text: str) -> str:
    return text.format(
        thon=rng.choice(PLACES),
        xa=rng.choice(COMMUNES),
        so=rng.randint(2, 40) * 10 if "{so} mét" in text else rng.randint(2, 30),
        nam=rng.randint(2018, 2025),
        thang=rng.randint(1, 12),
        du_an=rng.choice(PROJECTS).format(so=rng.randint(1, 5)),
    )


def without_accents(text: str) -> str:
    """How a message typed on a phone without a Vietnamese keyboard reads (case kept)."""
    kept = []
    for ch in text:
        folded = fold(ch) if ch.strip() else ch
        kept.append(folded.upper() if ch.isupper() else (folded or ch))
    return "".join(kept)


def old_tones(text: str) -> str:
    for new, old in _OLD_TONES.items():
        text = text.replace(new, old)
    return text


def _variant(rng: random.Random, original: Opinion, opener: str, core: list[str], position: int) -> Opinion:
    """The same message sent again (by its sender, or passed on by a neighbour): the same problem
    and request, the greeting kept or dropped, a detail added, another closing, perhaps typed
    without accents or with the old tone placement. A request of another person in other words is
    not a near-duplicate: it is a member of the same theme."""
    parts = [opener if rng.random() < 0.7 else "", *core]
    if rng.random() < 0.3:
        parts.insert(-1, _fill(rng, rng.choice(DETAILS)))
    parts.append(rng.choice(CLOSERS))
    content = " ".join(p for p in parts if p)
    choice = rng.random()
    if choice < 0.25:
        content = without_accents(content)
    elif choice < 0.45:
        content = old_tones(content)
    elif choice < 0.6:
        content = content.replace(",", "").replace(".", " .")
    return Opinion(original.title, unicodedata.normalize("NFC", content), original.topic, original.theme, position)


def opinions(count: int, seed: int = 1, duplicates: float = 0.1, themes: int | None = None) -> Iterator[Opinion]:
    """``count`` opinions over the first ``themes`` themes (all by default); about ``duplicates``
    of them repeat an earlier one in other words. An original is always yielded before its
    near-duplicates."""
    rng = random.Random(seed)  # noqa: S311 - sample text, the same for the same seed
    pool = THEMES[: themes or len(THEMES)]
    originals: list[tuple[int, Opinion, str, list[str]]] = []
    for position in range(count):
        if originals and rng.random() < duplicates:
            first, original, opener, core = rng.choice(originals[-500:])
            yield _variant(rng, original, opener, core, first)
            continue
        index = rng.randrange(len(pool))
        theme = pool[index]
        problems = rng.sample(theme.problems, 2 if rng.random() < 0.4 else 1)
        core = [_fill(rng, problem) + "." for problem in problems]
        if rng.random() < 0.5:
            core.append(_fill(rng, rng.choice(DETAILS)))
        core.append(rng.choice(theme.requests) + ".")
        opener = _fill(rng, rng.choice(OPENERS))
        content = " ".join(p for p in (opener, *core, rng.choice(CLOSERS)) if p)
        if rng.random() < 0.08:
            content = without_accents(content)
        opinion = Opinion(rng.choice(theme.subjects), content, theme.topic, index, None)
        originals.append((position, opinion, opener, core))
        yield opinion
