/// The preset dictionaries of ``SnapshotCodec``. Part of the stored format: never edit one; add another with its
/// own format byte.
enum SnapshotDictionary {
    /// An Intercom contact (API 2.16) with its ids, names and values blanked: the keys, the boilerplate of its
    /// lists and the common values, in the order Intercom writes them (deflate finds the nearest match first).
    static let contactV1: [UInt8] = Array(
        [
            #"{"type":"contact","id":"","workspace_id":"","external_id":"","role":"user","email":"","#,
            #""email_domain":"","phone":null,"formatted_phone":null,"name":"","owner_id":null,"#,
            #""has_hard_bounced":false,"marked_email_as_spam":false,"unsubscribed_from_emails":false,"#,
            #""created_at":1700000000,"updated_at":1700000000,"signed_up_at":1700000000,"#,
            #""last_seen_at":1700000000,"last_replied_at":null,"last_contacted_at":null,"#,
            #""last_email_opened_at":null,"last_email_clicked_at":null,"language_override":null,"#,
            #""browser":"firefox","browser_version":"130.0","browser_language":"en-GB","os":"Windows 11","#,
            #""android_app_name":null,"android_app_version":null,"android_device":null,"#,
            #""android_os_version":null,"android_sdk_version":null,"android_last_seen_at":null,"#,
            #""ios_app_name":null,"ios_app_version":null,"ios_device":null,"ios_os_version":null,"#,
            #""ios_sdk_version":null,"ios_last_seen_at":null,"custom_attributes":{},"avatar":null,"#,
            #""tags":{"type":"list","data":[],"url":"/contacts//tags","total_count":0,"has_more":false},"#,
            #""notes":{"type":"list","data":[],"url":"/contacts//notes","total_count":0,"has_more":false},"#,
            #""companies":{"type":"list","data":[],"url":"/contacts//companies","total_count":0,"#,
            #""has_more":false},"location":{"type":"location","country":null,"region":null,"city":null,"#,
            #""country_code":null,"continent_code":null},"social_profiles":{"type":"list","data":[]},"#,
            #""opted_out_subscription_types":{"type":"list","data":[],"#,
            #""url":"/contacts/6b1402f41bb69f9f000000b8/subscriptions","total_count":0,"has_more":false},"#,
            #""opted_in_subscription_types":{"type":"list","data":[],"#,
            #""url":"/contacts/6b1402f41bb69f9f000000b8/subscriptions","total_count":0,"has_more":false},"#,
            #""utm_campaign":null,"utm_content":null,"utm_medium":null,"utm_source":null,"utm_term":null,"#,
            #""referrer":null,"enabled_push_messaging":null}"#,
        ].joined().utf8)
}
