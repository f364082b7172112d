//! The documents the demo's main portal publishes in April 2021, by the
//! seed's categories and counts: (type, summary) of outgoing documents of
//! the provincial People's Committee. A công văn names its drafting unit
//! (the committee's office) in its symbol.

use domain::portal::publications::DocumentCategory as C;

pub(super) const DOCUMENTS: &[(C, &[(&str, &str)])] = &[
    (
        C::LeadersSchedule,
        &[
            (
                "Thông báo",
                "Lịch làm việc của Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh tuần từ ngày 29/3 đến ngày 02/4/2021",
            ),
            (
                "Thông báo",
                "Lịch làm việc của Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh tuần từ ngày 05/4 đến ngày 09/4/2021",
            ),
            (
                "Thông báo",
                "Lịch làm việc của Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh tuần từ ngày 12/4 đến ngày 16/4/2021",
            ),
            (
                "Thông báo",
                "Lịch làm việc của Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh tuần từ ngày 19/4 đến ngày 23/4/2021",
            ),
            (
                "Thông báo",
                "Lịch làm việc của Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh tuần từ ngày 26/4 đến ngày 30/4/2021",
            ),
        ],
    ),
    (
        C::CitizenReception,
        &[(
            "Thông báo",
            "Lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân tỉnh tháng 4 năm 2021",
        )],
    ),
    (
        C::LegalNormative,
        &[
            (
                "Quyết định",
                "Ban hành Quy định phân cấp quản lý nhà nước về an toàn thực phẩm trên địa bàn tỉnh Trà Vinh",
            ),
            (
                "Quyết định",
                "Ban hành Quy chế quản lý, vận hành, sử dụng Hệ thống thông tin giải quyết thủ tục hành chính tỉnh Trà Vinh",
            ),
            (
                "Quyết định",
                "Quy định giá dịch vụ sử dụng đò, phà trên địa bàn tỉnh Trà Vinh",
            ),
            (
                "Quyết định",
                "Ban hành Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Thông tin và Truyền thông",
            ),
            (
                "Quyết định",
                "Sửa đổi, bổ sung một số điều của Quy định về bảng giá đất giai đoạn 2020 – 2024 trên địa bàn tỉnh",
            ),
            (
                "Quyết định",
                "Ban hành Quy chế bảo đảm an toàn thông tin mạng trong hoạt động của cơ quan nhà nước tỉnh Trà Vinh",
            ),
            (
                "Quyết định",
                "Quy định mức hỗ trợ học nghề đối với người lao động bị thu hồi đất nông nghiệp",
            ),
            (
                "Quyết định",
                "Ban hành Quy định về quản lý cụm công nghiệp trên địa bàn tỉnh Trà Vinh",
            ),
            (
                "Quyết định",
                "Quy định hệ số điều chỉnh giá đất năm 2021 trên địa bàn tỉnh Trà Vinh",
            ),
            (
                "Quyết định",
                "Ban hành Quy chế phối hợp quản lý nhà nước về hoạt động thông tin đối ngoại",
            ),
            (
                "Quyết định",
                "Quy định về tổ chức hoạt động của Trung tâm Phục vụ hành chính công tỉnh",
            ),
            (
                "Quyết định",
                "Bãi bỏ một số quyết định quy phạm pháp luật của Ủy ban nhân dân tỉnh hết hiệu lực",
            ),
            (
                "Quyết định",
                "Quy định tiêu chuẩn, định mức sử dụng máy móc, thiết bị chuyên dùng trong lĩnh vực y tế",
            ),
            (
                "Quyết định",
                "Ban hành Quy định quản lý, sử dụng chữ ký số, chứng thư số trong cơ quan nhà nước tỉnh",
            ),
            (
                "Quyết định",
                "Quy định mức thu học phí đối với cơ sở giáo dục công lập năm học 2020 – 2021",
            ),
            (
                "Quyết định",
                "Ban hành Quy chế quản lý nhà nước về thông tin điện tử trên Internet trên địa bàn tỉnh",
            ),
        ],
    ),
    (
        C::Announcement,
        &[(
            "Thông báo",
            "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp về tiến độ xây dựng Chính quyền điện tử tỉnh",
        )],
    ),
    (
        C::Directives,
        &[
            (
                "Chỉ thị",
                "Về việc tăng cường công tác phòng, chống dịch COVID-19 trong tình hình mới",
            ),
            (
                "Chỉ thị",
                "Về việc đẩy mạnh giải ngân vốn đầu tư công năm 2021",
            ),
            (
                "Chỉ thị",
                "Về tăng cường công tác phòng cháy, chữa cháy mùa khô năm 2021",
            ),
            (
                "Kế hoạch",
                "Triển khai thực hiện Chương trình chuyển đổi số tỉnh Trà Vinh năm 2021",
            ),
            (
                "Kế hoạch",
                "Phòng, chống hạn hán, xâm nhập mặn mùa khô năm 2020 – 2021",
            ),
            (
                "Kế hoạch",
                "Tổ chức các hoạt động Tháng hành động vì an toàn thực phẩm năm 2021",
            ),
            (
                "Công văn",
                "Về việc triển khai các biện pháp bảo đảm an toàn, an ninh mạng dịp lễ 30/4 và 01/5",
            ),
            (
                "Công văn",
                "Về việc thực hiện các nhiệm vụ trọng tâm quý II năm 2021",
            ),
            (
                "Công văn",
                "Về việc sử dụng văn bản điện tử, chữ ký số trong trao đổi văn bản giữa các cơ quan",
            ),
            (
                "Công văn",
                "Về việc chấn chỉnh công tác tiếp nhận, giải quyết hồ sơ thủ tục hành chính trễ hạn",
            ),
            (
                "Công văn",
                "Về việc tổ chức các hoạt động kỷ niệm 46 năm Ngày Giải phóng miền Nam, thống nhất đất nước",
            ),
            (
                "Quyết định",
                "Giao chỉ tiêu kế hoạch phát triển kinh tế – xã hội bổ sung năm 2021",
            ),
            (
                "Quyết định",
                "Kiện toàn Ban Chỉ đạo xây dựng Chính quyền điện tử tỉnh Trà Vinh",
            ),
        ],
    ),
    (
        C::Recruitment,
        &[
            (
                "Thông báo",
                "Tuyển dụng viên chức sự nghiệp giáo dục năm 2021",
            ),
            (
                "Thông báo",
                "Tuyển dụng viên chức các đơn vị sự nghiệp thuộc Sở Y tế năm 2021",
            ),
            (
                "Thông báo",
                "Kết quả xét tuyển viên chức vòng 1 của các đơn vị sự nghiệp công lập tỉnh",
            ),
            (
                "Thông báo",
                "Thi tuyển chức danh Phó Giám đốc Sở Kế hoạch và Đầu tư",
            ),
        ],
    ),
    (
        C::AdministrativeReform,
        &[
            (
                "Quyết định",
                "Công bố danh mục thủ tục hành chính mới ban hành, sửa đổi, bổ sung thuộc thẩm quyền giải quyết của Sở Thông tin và Truyền thông",
            ),
            (
                "Quyết định",
                "Phê duyệt quy trình nội bộ giải quyết thủ tục hành chính lĩnh vực đất đai",
            ),
            (
                "Kế hoạch",
                "Kiểm soát thủ tục hành chính năm 2021 trên địa bàn tỉnh Trà Vinh",
            ),
            ("Kế hoạch", "Tuyên truyền cải cách hành chính năm 2021"),
        ],
    ),
    (
        C::LegalEducation,
        &[(
            "Kế hoạch",
            "Tổ chức hưởng ứng Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2021",
        )],
    ),
    (
        C::PublicProcurement,
        &[
            (
                "Quyết định",
                "Phê duyệt kế hoạch lựa chọn nhà thầu gói thầu mua sắm thiết bị công nghệ thông tin cho Trung tâm Phục vụ hành chính công",
            ),
            (
                "Quyết định",
                "Phê duyệt kết quả lựa chọn nhà thầu gói thầu mua sắm trang thiết bị y tế phòng, chống dịch COVID-19",
            ),
            (
                "Quyết định",
                "Phê duyệt dự toán mua sắm tài sản tập trung năm 2021",
            ),
            (
                "Quyết định",
                "Phê duyệt kế hoạch lựa chọn nhà thầu dự án nâng cấp Trung tâm tích hợp dữ liệu tỉnh",
            ),
        ],
    ),
    (
        C::Elections,
        &[
            (
                "Quyết định",
                "Ấn định và công bố số đơn vị bầu cử, danh sách các đơn vị bầu cử đại biểu Hội đồng nhân dân tỉnh nhiệm kỳ 2021 – 2026",
            ),
            (
                "Quyết định",
                "Thành lập các Ban bầu cử đại biểu Hội đồng nhân dân tỉnh nhiệm kỳ 2021 – 2026",
            ),
            (
                "Quyết định",
                "Thành lập Tiểu ban Thông tin, tuyên truyền cuộc bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp",
            ),
            (
                "Quyết định",
                "Phân bổ kinh phí phục vụ bầu cử đại biểu Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp",
            ),
            (
                "Kế hoạch",
                "Tuyên truyền cuộc bầu cử đại biểu Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2021 – 2026",
            ),
            (
                "Kế hoạch",
                "Bảo đảm an ninh, trật tự phục vụ cuộc bầu cử đại biểu Quốc hội và HĐND các cấp",
            ),
            (
                "Kế hoạch",
                "Kiểm tra, giám sát công tác bầu cử tại các huyện, thị xã, thành phố",
            ),
            (
                "Kế hoạch",
                "Bảo đảm thông tin liên lạc, an toàn thông tin phục vụ bầu cử",
            ),
            (
                "Thông báo",
                "Danh sách chính thức những người ứng cử đại biểu Hội đồng nhân dân tỉnh nhiệm kỳ 2021 – 2026",
            ),
            (
                "Thông báo",
                "Thời gian, địa điểm tổ chức hội nghị tiếp xúc cử tri của người ứng cử đại biểu Quốc hội",
            ),
            (
                "Thông báo",
                "Lịch tổ chức bỏ phiếu sớm tại các khu vực bầu cử vùng sâu, vùng xa",
            ),
            (
                "Công văn",
                "Về việc niêm yết danh sách cử tri và danh sách người ứng cử",
            ),
            (
                "Công văn",
                "Về việc phòng, chống dịch COVID-19 trong tổ chức bầu cử",
            ),
            ("Công văn", "Về việc in ấn, cấp phát tài liệu, phiếu bầu cử"),
            (
                "Công văn",
                "Về việc tổ chức hội nghị hiệp thương lần thứ ba",
            ),
            (
                "Công văn",
                "Về việc tăng cường thông tin, tuyên truyền về bầu cử trên hệ thống đài truyền thanh cơ sở",
            ),
            ("Hướng dẫn", "Nghiệp vụ công tác bầu cử cho các Tổ bầu cử"),
        ],
    ),
    (
        C::PublicConsultation,
        &[
            (
                "Tờ trình",
                "Dự thảo Nghị quyết quy định mức chi hỗ trợ cán bộ, công chức làm công tác chuyển đổi số",
            ),
            (
                "Tờ trình",
                "Dự thảo Nghị quyết quy định chính sách hỗ trợ phát triển hợp tác xã nông nghiệp",
            ),
            (
                "Tờ trình",
                "Dự thảo Quyết định ban hành Quy định quản lý chất thải rắn sinh hoạt trên địa bàn tỉnh",
            ),
            (
                "Tờ trình",
                "Dự thảo Quyết định ban hành Quy định về quản lý và khai thác hạ tầng viễn thông thụ động",
            ),
            (
                "Tờ trình",
                "Dự thảo Nghị quyết về mức thu phí tham quan di tích Ao Bà Om",
            ),
            (
                "Tờ trình",
                "Dự thảo Quy hoạch tỉnh Trà Vinh thời kỳ 2021 – 2030, tầm nhìn đến năm 2050",
            ),
            (
                "Tờ trình",
                "Dự thảo Quyết định quy định giá dịch vụ xe ra, vào bến xe ô tô",
            ),
            (
                "Tờ trình",
                "Dự thảo Nghị quyết quy định chính sách thu hút nguồn nhân lực chất lượng cao",
            ),
            (
                "Tờ trình",
                "Dự thảo Quyết định ban hành Quy chế quản lý kiến trúc đô thị thành phố Trà Vinh",
            ),
            (
                "Tờ trình",
                "Dự thảo Đề án phát triển du lịch cộng đồng gắn với văn hóa Khmer",
            ),
        ],
    ),
    // The one document of April that the seed's list of kinds leaves out
    // (its kinds add up to 76 of the 77).
    (
        C::Other,
        &[(
            "Kế hoạch",
            "Tổ chức các hoạt động kỷ niệm 46 năm Ngày Giải phóng miền Nam, thống nhất đất nước (30/4/1975 – 30/4/2021)",
        )],
    ),
];

/// A few comments the consultations received: (consultation's index,
/// name, organisation, body).
pub(super) const COMMENTS: &[(usize, &str, &str, &str)] = &[
    (
        0,
        "Nguyễn Văn Tâm",
        "UBND xã Long Đức",
        "Đề nghị bổ sung mức hỗ trợ cho công chức cấp xã kiêm nhiệm quản trị hệ thống.",
    ),
    (
        0,
        "Thạch Thị Sa Rươne",
        "",
        "Nên quy định rõ thời gian áp dụng mức chi và nguồn kinh phí thực hiện.",
    ),
    (
        2,
        "Trần Minh Hiếu",
        "Hợp tác xã Thanh Bình",
        "Đề nghị giảm mức thu đối với hộ nghèo, hộ cận nghèo.",
    ),
    (
        5,
        "Lê Thị Hồng Nhung",
        "Trường Đại học Trà Vinh",
        "Đề nghị bổ sung định hướng phát triển kinh tế biển và năng lượng tái tạo vào quy hoạch.",
    ),
    (
        5,
        "Kim Sóc Khanh",
        "",
        "Cần quan tâm hạ tầng giao thông kết nối các xã vùng đồng bào dân tộc Khmer.",
    ),
];
