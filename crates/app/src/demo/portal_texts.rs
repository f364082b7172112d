//! The texts of the demo's portal articles: province-wide stories in
//! Vietnamese with their Khmer versions (short, plain sentences about the
//! province's news: «ខេត្តត្រាវិញ» is Trà Vinh province), the districts'
//! stories and the component sites' posts.

/// Province-wide stories in Vietnamese and Khmer; the first six Khmer
/// articles translate the Vietnamese ones.
pub(super) const STORIES: [(&str, &str); 10] = [
    (
        "Lãnh đạo tỉnh Trà Vinh thăm, chúc Tết Chôl Chnăm Thmây đồng bào Khmer",
        "ថ្នាក់ដឹកនាំខេត្តត្រាវិញសួរសុខទុក្ខ និងជូនពរបុណ្យចូលឆ្នាំថ្មីដល់ជនរួមជាតិខ្មែរ",
    ),
    (
        "Trà Vinh chuẩn bị chu đáo cho cuộc bầu cử đại biểu Quốc hội khóa XV",
        "ខេត្តត្រាវិញត្រៀមរៀបចំការបោះឆ្នោតជ្រើសតាំងតំណាងរាស្ត្ររដ្ឋសភា នីតិកាលទី១៥",
    ),
    (
        "Tăng cường phòng, chống dịch Covid-19 trên địa bàn tỉnh Trà Vinh",
        "ខេត្តត្រាវិញពង្រឹងការបង្ការ និងទប់ស្កាត់ជំងឺកូវីដ-១៩",
    ),
    (
        "Nông dân Trà Vinh thu hoạch lúa vụ Đông Xuân",
        "កសិករខេត្តត្រាវិញប្រមូលផលស្រូវរដូវប្រាំង",
    ),
    (
        "Phổ biến pháp luật cho đồng bào dân tộc Khmer",
        "ការផ្សព្វផ្សាយច្បាប់ដល់ជនរួមជាតិខ្មែរ",
    ),
    (
        "Trà Vinh đẩy mạnh cải cách hành chính và dịch vụ công trực tuyến",
        "ខេត្តត្រាវិញជំរុញកំណែទម្រង់រដ្ឋបាល និងសេវាសាធារណៈតាមអនឡាញ",
    ),
    (
        "Cung cấp nước sạch cho người dân nông thôn",
        "ការផ្គត់ផ្គង់ទឹកស្អាតដល់ប្រជាជនតំបន់ជនបទ",
    ),
    (
        "Nâng cao chất lượng giáo dục vùng đồng bào dân tộc",
        "ការលើកកម្ពស់គុណភាពអប់រំនៅតំបន់ជនជាតិ",
    ),
    (
        "Hỗ trợ hộ nghèo ổn định cuộc sống",
        "ការឧបត្ថម្ភគ្រួសារក្រីក្រឱ្យមានជីវភាពប្រសើរ",
    ),
    (
        "Trà Vinh đẩy mạnh xây dựng nông thôn mới",
        "ខេត្តត្រាវិញជំរុញការកសាងជនបទថ្មី",
    ),
];
pub(super) const TRANSLATED: usize = 6;

/// The main site's stories from the districts.
pub(super) const DISTRICT_STORIES: [&str; 5] = [
    "kiểm tra công tác chuẩn bị bầu cử",
    "ra quân vệ sinh môi trường, phòng chống dịch bệnh",
    "tổ chức Lễ hội Chôl Chnăm Thmây năm 2021",
    "tiếp công dân định kỳ tháng 4",
    "triển khai kế hoạch chuyển đổi số",
];

/// The component sites' posts.
pub(super) const POSTS: [&str; 8] = [
    "Hội nghị triển khai nhiệm vụ tháng 4 năm 2021",
    "Tuyên truyền bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp",
    "Kết quả cải cách hành chính quý I năm 2021",
    "Phổ biến Luật Tiếp cận thông tin đến cán bộ, công chức",
    "Thông báo lịch tiếp công dân của lãnh đạo",
    "Công khai thủ tục hành chính thuộc thẩm quyền giải quyết",
    "Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam 21/4",
    "Kiểm tra công tác phòng, chống dịch Covid-19",
];

/// `n` Khmer digits of a number.
pub(super) fn khmer_number(n: usize) -> String {
    n.to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .filter_map(|d| char::from_u32(0x17E0 + d))
        .collect()
}
