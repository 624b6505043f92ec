-- home: the public home page. $1 is the page language ('es' or 'en').

-- name: home_clinic
SELECT name,
       CASE WHEN $1::text = 'en' THEN tagline_en ELSE tagline_es END,
       address, phone, email
  FROM clinic.settings
 WHERE id = 1;

-- name: home_doctors
SELECT d.display_name,
       coalesce(string_agg(CASE WHEN $1::text = 'en' THEN s.name_en ELSE s.name_es END,
                           ', ' ORDER BY CASE WHEN $1::text = 'en' THEN s.name_en ELSE s.name_es END), '')
  FROM clinic.doctors d
  LEFT JOIN clinic.doctor_specialties ds ON ds.doctor_id = d.id
  LEFT JOIN clinic.specialties s ON s.id = ds.specialty_id
 WHERE d.active
 GROUP BY d.id, d.display_name
 ORDER BY d.display_name, d.id;
